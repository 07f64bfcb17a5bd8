/** The sidecar's one atomic file writer: a temporary file in the same directory, synced, then renamed over the path. */
import { randomBytes } from "node:crypto";
import { lstat, open, realpath, rename, rm, stat } from "node:fs/promises";
import { basename, dirname, join } from "node:path";

/** How a new file is made and how careful the write is about links and owners. */
export interface AtomicWriteOptions {
  /** The mode of a new file (0644 when not given); an existing file keeps its own. */
  readonly mode?: number;
  /** The owner of a new file (the process's when not given); an existing file keeps its own. */
  readonly owner?: { readonly uid: number; readonly gid: number };
  /** Refuse a directory reached through a symbolic link, and a path that is not a regular file. */
  readonly refuseLinks?: boolean;
  /** Fail when the owner cannot be set (the root helper); otherwise the file keeps the writer's owner. */
  readonly ownerRequired?: boolean;
}

/**
 * Replaces `path` with `content` so that a reader sees the old file or the new one, never a part: the
 * content goes to a temporary file beside it, is synced, takes the mode and owner, and is renamed over
 * `path`. The parent directory must exist. On a failure the temporary file is removed and `path` is as it was.
 */
export async function writeFileAtomic(
  path: string,
  content: string | Buffer,
  options: AtomicWriteOptions = {},
): Promise<void> {
  const dir = dirname(path);
  if (options.refuseLinks && (await realpath(dir)) !== dir)
    throw new Error(`${dir} goes through a symbolic link; nothing written`);
  // Through a link the target's mode and owner are kept; with refuseLinks the link itself is looked at (and refused).
  const old = await (options.refuseLinks ? lstat : stat)(path).catch(() => null);
  if (options.refuseLinks && old && !old.isFile())
    throw new Error(`${path} is not a regular file; nothing written`);
  const mode = old ? old.mode & 0o7777 : (options.mode ?? 0o644);
  const owner = old ? { uid: old.uid, gid: old.gid } : options.owner;
  const tmp = join(dir, `.${basename(path)}.voxops-${randomBytes(4).toString("hex")}.tmp`);
  const fh = await open(tmp, "wx", mode);
  try {
    await fh.writeFile(content);
    await fh.chmod(mode);
    if (owner)
      await fh.chown(owner.uid, owner.gid).catch((e: unknown) => {
        if (options.ownerRequired) throw e;
      });
    await fh.sync();
    await fh.close();
    await rename(tmp, path);
  } catch (e) {
    await fh.close().catch(() => undefined);
    await rm(tmp, { force: true });
    throw e;
  }
}
