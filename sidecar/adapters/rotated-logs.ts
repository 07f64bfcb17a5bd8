/**
 * Rotated logs of a service: the files next to one of its inventory log files that logrotate (or the
 * service) made from it — "app.log.1", "app.log.2.gz", "app.log.old", "app.log-20240101" — and nothing
 * else. The live log and every other file in the directory are user data and are never touched.
 */
import { readdir, rm, stat } from "node:fs/promises";
import { basename, dirname, join } from "node:path";

/** One rotated log and its size. */
export interface RotatedLog {
  readonly path: string;
  readonly bytes: number;
}

const SUFFIX =
  /^(?:\.\d{1,4}|\.old|-\d{8}(?:\d{2})?|\.\d{4}-\d{2}-\d{2})?(?:\.\d{1,4})?(?:\.gz|\.xz|\.bz2|\.zst)?$/;

/** True when `name` is a rotation of the log called `live` (and not the live log itself). */
export function isRotationOf(live: string, name: string): boolean {
  if (name === live || !name.startsWith(live)) return false;
  const rest = name.slice(live.length);
  return rest !== "" && SUFFIX.test(rest);
}

/** The rotated logs beside each of `logFiles` (regular files only). */
export async function findRotatedLogs(logFiles: readonly string[]): Promise<RotatedLog[]> {
  const out: RotatedLog[] = [];
  for (const live of logFiles) {
    const dir = dirname(live);
    let names: string[];
    try {
      names = await readdir(dir);
    } catch {
      continue;
    }
    for (const name of names) {
      if (!isRotationOf(basename(live), name)) continue;
      const path = join(dir, name);
      const s = await stat(path).catch(() => null);
      if (s?.isFile() && !out.some((o) => o.path === path)) out.push({ path, bytes: s.size });
    }
  }
  return out;
}

/** Removes the rotated logs beside `logFiles`; returns what was removed and how many bytes that freed. */
export async function removeRotatedLogs(
  logFiles: readonly string[],
): Promise<{ removed: string[]; freedB: number }> {
  const removed: string[] = [];
  let freedB = 0;
  for (const r of await findRotatedLogs(logFiles)) {
    try {
      await rm(r.path);
      removed.push(r.path);
      freedB += r.bytes;
    } catch {
      // gone already, or not ours to remove
    }
  }
  return { removed, freedB };
}

/** Total bytes of the regular files directly in the directories of `logFiles`. */
export async function logDirsBytes(logFiles: readonly string[]): Promise<number> {
  let total = 0;
  for (const dir of new Set(logFiles.map((f) => dirname(f)))) {
    for (const name of await readdir(dir).catch(() => [] as string[])) {
      const s = await stat(join(dir, name)).catch(() => null);
      if (s?.isFile()) total += s.size;
    }
  }
  return total;
}
