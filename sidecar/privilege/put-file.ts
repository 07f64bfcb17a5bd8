/** The helper's file replacement: atomic, never through a symbolic link, keeping the file's owner and mode. */
import { randomBytes } from "node:crypto";
import { chown, lstat, mkdir, open, realpath, rename, rm, stat } from "node:fs/promises";
import { basename, dirname, join } from "node:path";

/** Creates missing parent directories owned like the nearest existing one. */
async function ensureParent(dir: string): Promise<void> {
  const missing: string[] = [];
  let probe = dir;
  while (!(await stat(probe).catch(() => null))) {
    missing.unshift(probe);
    probe = dirname(probe);
  }
  const base = await stat(probe);
  for (const d of missing) {
    await mkdir(d, { mode: 0o755 });
    await chown(d, base.uid, base.gid);
  }
}

/**
 * Replaces `path` with `content` through a temporary file in the same directory and a rename; an
 * existing file keeps its owner and mode, a new one takes its directory's owner and `mode` (0644).
 */
export async function putFile(path: string, content: Buffer, mode?: number): Promise<void> {
  const dir = dirname(path);
  await ensureParent(dir);
  if ((await realpath(dir)) !== dir) throw new Error(`${dir} goes through a symbolic link; nothing written`);
  const old = await lstat(path).catch(() => null);
  if (old && !old.isFile()) throw new Error(`${path} is not a regular file; nothing written`);
  const parent = await stat(dir);
  const tmp = join(dir, `.${basename(path)}.voxops-${randomBytes(4).toString("hex")}.tmp`);
  const fh = await open(tmp, "wx", old ? old.mode & 0o7777 : (mode ?? 0o644));
  try {
    await fh.writeFile(content);
    await fh.chmod(old ? old.mode & 0o7777 : (mode ?? 0o644));
    await fh.chown(old?.uid ?? parent.uid, old?.gid ?? parent.gid);
    await fh.sync();
    await fh.close();
    await rename(tmp, path);
  } catch (e) {
    await fh.close().catch(() => undefined);
    await rm(tmp, { force: true });
    throw e;
  }
}
