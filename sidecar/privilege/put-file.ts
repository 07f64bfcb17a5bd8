/** The helper's file replacement: atomic, never through a symbolic link, keeping the file's owner and mode. */
import { chown, mkdir, stat } from "node:fs/promises";
import { dirname } from "node:path";
import { writeFileAtomic } from "../adapters/atomic-write.ts";

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
 * Replaces `path` with `content` atomically (`writeFileAtomic`), never through a symbolic link; an
 * existing file keeps its owner and mode, a new one takes its directory's owner and `mode` (0644).
 */
export async function putFile(path: string, content: Buffer, mode?: number): Promise<void> {
  const dir = dirname(path);
  await ensureParent(dir);
  const parent = await stat(dir);
  await writeFileAtomic(path, content, {
    ...(mode === undefined ? {} : { mode }),
    owner: { uid: parent.uid, gid: parent.gid },
    refuseLinks: true,
    ownerRequired: true,
  });
}
