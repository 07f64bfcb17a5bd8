/** The `code-search` action: lines containing a text in a service's source, secrets, binaries and .git left out. */
import { readdir, readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import { looksBinary, openSourceRoot } from "../code/source-root.ts";
import type { ActionHandler } from "../services/handler.ts";
import { resolveService } from "../services/targets.ts";

const MAX_FILES = 2000;

/** Creates the handler. */
export function createCodeSearch(): ActionHandler<"code-search"> {
  return async (args, ctx) => {
    const target = resolveService(ctx, args["service"]);
    const root = await openSourceRoot(target.spec.name, target.spec.code);
    const needle = String(args["text"]).toLowerCase();
    const maxHits = typeof args["maxHits"] === "number" ? args["maxHits"] : 50;
    const hits: { path: string; line: number; text: string }[] = [];
    let files = 0;
    const walk = async (rel: string): Promise<void> => {
      const dirents = await readdir(join(root.real, rel), { withFileTypes: true });
      dirents.sort((a, b) => a.name.localeCompare(b.name));
      for (const d of dirents) {
        if (hits.length >= maxHits || files >= MAX_FILES) return;
        if (root.hidden(d.name) || d.name === "node_modules" || d.name === "__pycache__") continue;
        const path = rel ? `${rel}/${d.name}` : d.name;
        if (d.isDirectory()) {
          await walk(path);
          continue;
        }
        if (!d.isFile()) continue; // symlinks are not followed by a search
        files++;
        const abs = join(root.real, path);
        if ((await stat(abs)).size > root.spec.maxFileBytes) continue;
        const bytes = await readFile(abs);
        if (looksBinary(bytes)) continue;
        bytes
          .toString("utf8")
          .split("\n")
          .forEach((line, i) => {
            if (hits.length < maxHits && line.toLowerCase().includes(needle))
              hits.push({ path, line: i + 1, text: line.slice(0, 300) });
          });
      }
    };
    await walk("");
    return { vm: ctx.vm, service: target.spec.name, text: args["text"], hits, filesSearched: files };
  };
}
