/**
 * The `files` action: list, read or search a service's files inside its declared root, through the
 * same confinement as the programming actions (sidecar/code/source-root.ts): no "..", no symlink out
 * of the root, no .git, and secrets files (.env, *.pem, *.key, id_*) never listed, read or searched.
 */
import { readdir, readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import { FILES_READ_MAX_CHARS } from "../../protocol/actions/files.ts";
import { codeSpecSchema } from "../../protocol/code-inventory.ts";
import type { ServiceSpec } from "../../protocol/inventory.ts";
import { looksBinary, openSourceRoot, type SourceRoot } from "../code/source-root.ts";
import { ActionError, type ActionHandler } from "../services/handler.ts";
import { resolveService } from "../services/targets.ts";

const MAX_ENTRIES = 300;
const MAX_HITS = 40;
const MAX_FILES = 2000;
const DEFAULT_LINES = 100;
const skipped = (name: string) => name === "node_modules" || name === "__pycache__";

/** The service's declared root: its `code.root`, else its repository checkout, else its working directory. */
async function rootOf(spec: ServiceSpec): Promise<SourceRoot> {
  const root = spec.code?.root ?? spec.repo?.path ?? spec.workdir;
  if (root === undefined)
    throw new ActionError(
      "no-root",
      `the inventory declares no directory for ${spec.name}; give it "workdir", "repo" or "code.root"`,
    );
  return openSourceRoot(spec.name, spec.code ?? codeSpecSchema.parse({ root }));
}

/** Creates the handler. */
export function createFiles(): ActionHandler<"files"> {
  return async (args, ctx) => {
    const target = resolveService(ctx, args.service);
    const root = await rootOf(target.spec);
    const service = target.spec.name;
    if (args.op === "read") {
      const file = await root.resolve(args.path, "read");
      const bytes = await readFile(file.abs).catch((e: NodeJS.ErrnoException) => {
        throw new ActionError(
          e.code === "EISDIR" ? "not-a-file" : "read-failed",
          e.code === "EISDIR" ? `${file.rel} is a directory; list it instead` : `cannot read ${file.rel}`,
        );
      });
      if (bytes.length > root.spec.maxFileBytes)
        throw new ActionError(
          "too-big",
          `${file.rel} is ${bytes.length} bytes, above the limit of ${root.spec.maxFileBytes}; search it instead`,
        );
      if (looksBinary(bytes))
        throw new ActionError("binary", `${file.rel} is a binary file; only text is read`);
      const lines = bytes.toString("utf8").split("\n");
      const from = Math.min(args.fromLine, lines.length);
      const to = Math.min(lines.length, args.toLine ?? from + DEFAULT_LINES - 1);
      const text = lines.slice(from - 1, to).join("\n");
      const clipped = text.length > FILES_READ_MAX_CHARS;
      return {
        op: "read",
        root: root.real,
        service,
        path: file.rel,
        bytes: bytes.length,
        totalLines: lines.length,
        fromLine: from,
        toLine: to,
        text: clipped ? text.slice(0, FILES_READ_MAX_CHARS) : text,
        clipped,
        whole: from === 1 && to >= lines.length && !clipped,
      };
    }
    if (args.op === "search") {
      const needle = (args.text ?? "").toLowerCase();
      const hits: { path: string; line: number; text: string }[] = [];
      let files = 0;
      let truncated = false;
      const walk = async (rel: string): Promise<void> => {
        const dirents = await readdir(join(root.real, rel), { withFileTypes: true });
        dirents.sort((a, b) => a.name.localeCompare(b.name));
        for (const d of dirents) {
          if (truncated || files >= MAX_FILES) return;
          if (root.hidden(d.name) || skipped(d.name)) continue;
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
            if (hits.length >= MAX_HITS) {
              truncated = true;
              return;
            }
            hits.push({ path, line: i + 1, text: line.trim().slice(0, 200) });
          }
        }
      };
      await walk("");
      return {
        op: "search",
        root: root.real,
        service,
        text: args.text ?? "",
        hits,
        filesSearched: files,
        truncated,
      };
    }
    const dir = args.path === undefined ? null : await root.resolve(args.path, "read");
    const rel = dir === null || dir.rel === "." ? "" : dir.rel;
    const dirents = await readdir(join(root.real, rel), { withFileTypes: true }).catch(() => {
      throw new ActionError(
        "not-a-directory",
        `${rel || "."} is not a directory under ${root.real}; read it instead`,
      );
    });
    dirents.sort((a, b) => a.name.localeCompare(b.name));
    const shown = dirents.filter((d) => !root.hidden(d.name));
    const entries = shown.slice(0, MAX_ENTRIES).map((d) => (d.isDirectory() ? `${d.name}/` : d.name));
    return {
      op: "list",
      root: root.real,
      service,
      dir: rel || ".",
      entries,
      truncated: shown.length > MAX_ENTRIES,
    };
  };
}
