/**
 * The root helper's read of a declared backup path the `voxops` user may not read (a 0600 file, a
 * 0700 directory of the service's user): one path a request, a directory's names or a file's bytes,
 * never following symbolic links. The helper checks the path against the inventory before calling it.
 */
import { lstat, readdir, readFile } from "node:fs/promises";

/** What the helper reports of one declared path. */
export type DeclaredEntry =
  | { readonly type: "dir"; readonly entries: string[] }
  | { readonly type: "file"; readonly mode: number; readonly size: number; readonly base64?: string }
  | { readonly type: "link" }
  | { readonly type: "other" }
  | { readonly type: "missing" };

/** Describes `path` for a backup; a file's bytes come only when it is at most `maxBytes` long. */
export async function readDeclared(path: string, maxBytes: number): Promise<DeclaredEntry> {
  const st = await lstat(path).catch(() => null);
  if (!st) return { type: "missing" };
  if (st.isSymbolicLink()) return { type: "link" };
  if (st.isDirectory()) return { type: "dir", entries: (await readdir(path)).sort() };
  if (!st.isFile()) return { type: "other" };
  const mode = st.mode & 0o777;
  if (st.size > maxBytes) return { type: "file", mode, size: st.size };
  return { type: "file", mode, size: st.size, base64: (await readFile(path)).toString("base64") };
}
