/**
 * The walkers over a service's declared root that `files` and the code actions share: list a directory,
 * read one text file, search text; all stay inside the root (`SourceRoot`), never show .git or secrets
 * files, and a search follows no symbolic links.
 */
import { readdir, readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import { ActionError } from "../services/handler.ts";
import { looksBinary, type SourceRoot } from "./source-root.ts";

/** Build output a listing or a search leaves out besides what the root hides. */
const isBuildOutput = (name: string) => name === "node_modules" || name === "__pycache__";

/** How a listing walks and what it says about a path that is not a directory. */
export interface ListOptions {
  readonly depth: number;
  readonly maxEntries: number;
  /** Leave out node_modules and __pycache__ (the code actions do, `files` shows them). */
  readonly skipBuildOutput: boolean;
  /** Entries as paths from the root ("lib/util.js") rather than names in the listed directory. */
  readonly fromRoot: boolean;
  readonly notADirectory: (rel: string) => string;
}

/** The entries under `base` (directories end in "/"), sorted, at most `maxEntries`; `truncated` when more were left. */
export async function listConfined(
  root: SourceRoot,
  base: string,
  options: ListOptions,
): Promise<{ entries: string[]; truncated: boolean }> {
  const entries: string[] = [];
  let truncated = false;
  const walk = async (rel: string, level: number): Promise<void> => {
    const dirents = await readdir(join(root.real, rel), { withFileTypes: true }).catch(() => {
      throw new ActionError("not-a-directory", options.notADirectory(rel));
    });
    dirents.sort((a, b) => a.name.localeCompare(b.name));
    for (const d of dirents) {
      if (root.hidden(d.name) || (options.skipBuildOutput && isBuildOutput(d.name))) continue;
      if (entries.length >= options.maxEntries) {
        truncated = true;
        return;
      }
      const path = rel ? `${rel}/${d.name}` : d.name;
      const shown = options.fromRoot ? path : path.slice(base ? base.length + 1 : 0);
      entries.push(d.isDirectory() ? `${shown}/` : shown);
      if (d.isDirectory() && level < options.depth) await walk(path, level + 1);
    }
  };
  await walk(base, 1);
  return { entries, truncated };
}

/** Reads one text file under the root; refused when it is a directory, above the root's size cap or binary. */
export async function readConfinedText(
  root: SourceRoot,
  path: unknown,
  tooBigHint = "",
): Promise<{ rel: string; bytes: Buffer }> {
  const file = await root.resolve(path, "read");
  const bytes = await readFile(file.abs).catch((e: NodeJS.ErrnoException) => {
    throw new ActionError(
      e.code === "EISDIR" ? "not-a-file" : "read-failed",
      e.code === "EISDIR" ? `${file.rel} is a directory; list it instead` : `cannot read ${file.rel}`,
    );
  });
  if (bytes.length > root.spec.maxFileBytes)
    throw new ActionError(
      "too-big",
      `${file.rel} is ${bytes.length} bytes, above the limit of ${root.spec.maxFileBytes}${tooBigHint}`,
    );
  if (looksBinary(bytes)) throw new ActionError("binary", `${file.rel} is a binary file; only text is read`);
  return { rel: file.rel, bytes };
}

/** How a search stops and how it shows a line. */
export interface SearchOptions {
  readonly maxHits: number;
  readonly maxFiles: number;
  /** The line as a hit shows it (clipped, trimmed). */
  readonly shown: (line: string) => string;
  /** Look on for one hit past `maxHits` to say the hits were `truncated` (`files`), or stop at `maxHits` (code). */
  readonly reportTruncation: boolean;
}

/** One line that contains the text. */
export interface SearchHit {
  readonly path: string;
  readonly line: number;
  readonly text: string;
}

/** The lines containing `text` (case-insensitive) in the root's text files, walked in name order. */
export async function searchConfined(
  root: SourceRoot,
  text: string,
  options: SearchOptions,
): Promise<{ hits: SearchHit[]; filesSearched: number; truncated: boolean }> {
  const needle = text.toLowerCase();
  const hits: SearchHit[] = [];
  let files = 0;
  let truncated = false;
  const full = () => !options.reportTruncation && hits.length >= options.maxHits;
  const walk = async (rel: string): Promise<void> => {
    const dirents = await readdir(join(root.real, rel), { withFileTypes: true });
    dirents.sort((a, b) => a.name.localeCompare(b.name));
    for (const d of dirents) {
      if (truncated || full() || files >= options.maxFiles) return;
      if (root.hidden(d.name) || isBuildOutput(d.name)) continue;
      const path = rel ? `${rel}/${d.name}` : d.name;
      if (d.isDirectory()) await walk(path);
      if (!d.isFile()) continue; // a search follows no symlinks
      files++;
      const abs = join(root.real, path);
      if ((await stat(abs)).size > root.spec.maxFileBytes) continue;
      const bytes = await readFile(abs);
      if (looksBinary(bytes)) continue;
      for (const [i, line] of bytes.toString("utf8").split("\n").entries()) {
        if (!line.toLowerCase().includes(needle)) continue;
        if (hits.length >= options.maxHits) {
          truncated = options.reportTruncation;
          break;
        }
        hits.push({ path, line: i + 1, text: options.shown(line) });
      }
    }
  };
  await walk("");
  return { hits, filesSearched: files, truncated };
}
