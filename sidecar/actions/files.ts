/**
 * The `files` action: list, read or search a service's files inside its declared root, with the same
 * walkers as the programming actions (sidecar/code/confined-walk.ts): no "..", no symlink out
 * of the root, no .git, and secrets files (.env, *.pem, *.key, id_*) never listed, read or searched.
 */
import { FILES_READ_MAX_CHARS } from "../../protocol/actions/files.ts";
import { codeSpecSchema } from "../../protocol/code-inventory.ts";
import type { ServiceSpec } from "../../protocol/inventory.ts";
import { listConfined, readConfinedText, searchConfined } from "../code/confined-walk.ts";
import { openSourceRoot, type SourceRoot } from "../code/source-root.ts";
import { ActionError, type ActionHandler } from "../services/handler.ts";
import { resolveService } from "../services/targets.ts";

const MAX_ENTRIES = 300;
const MAX_HITS = 40;
const MAX_FILES = 2000;
const DEFAULT_LINES = 100;

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
      const { rel: path, bytes } = await readConfinedText(root, args.path, "; search it instead");
      const lines = bytes.toString("utf8").split("\n");
      const from = Math.min(args.fromLine, lines.length);
      const to = Math.min(lines.length, args.toLine ?? from + DEFAULT_LINES - 1);
      const text = lines.slice(from - 1, to).join("\n");
      const clipped = text.length > FILES_READ_MAX_CHARS;
      return {
        op: "read",
        root: root.real,
        service,
        path,
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
      const { hits, filesSearched, truncated } = await searchConfined(root, args.text ?? "", {
        maxHits: MAX_HITS,
        maxFiles: MAX_FILES,
        shown: (line) => line.trim().slice(0, 200),
        reportTruncation: true,
      });
      return {
        op: "search",
        root: root.real,
        service,
        text: args.text ?? "",
        hits,
        filesSearched,
        truncated,
      };
    }
    const dir = args.path === undefined ? null : await root.resolve(args.path, "read");
    const rel = dir === null || dir.rel === "." ? "" : dir.rel;
    const { entries, truncated } = await listConfined(root, rel, {
      depth: 1,
      maxEntries: MAX_ENTRIES,
      skipBuildOutput: false,
      fromRoot: false,
      notADirectory: (at) => `${at || "."} is not a directory under ${root.real}; read it instead`,
    });
    return {
      op: "list",
      root: root.real,
      service,
      dir: rel || ".",
      entries,
      truncated,
    };
  };
}
