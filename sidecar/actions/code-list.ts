/** The `code-list` action: the files under a service's source root (or a directory of it), secrets and .git left out. */
import { readdir } from "node:fs/promises";
import { join } from "node:path";
import { openSourceRoot } from "../code/source-root.ts";
import { ActionError, type ActionHandler } from "../services/handler.ts";
import { resolveService } from "../services/targets.ts";

const MAX_ENTRIES = 500;

/** Creates the handler. */
export function createCodeList(): ActionHandler<"code-list"> {
  return async (args, ctx) => {
    const target = resolveService(ctx, args["service"]);
    const root = await openSourceRoot(target.spec.name, target.spec.code);
    const start = args["dir"] === undefined ? null : await root.resolve(args["dir"], "read");
    const depth = typeof args["depth"] === "number" ? args["depth"] : 2;
    const base = start?.rel === "." || start === null ? "" : start.rel;
    const entries: string[] = [];
    let truncated = false;
    const walk = async (rel: string, level: number): Promise<void> => {
      const dirents = await readdir(join(root.real, rel), { withFileTypes: true }).catch(() => {
        throw new ActionError("not-a-directory", `${rel || "."} is not a directory of the source`);
      });
      dirents.sort((a, b) => a.name.localeCompare(b.name));
      for (const d of dirents) {
        if (root.hidden(d.name) || d.name === "node_modules" || d.name === "__pycache__") continue;
        if (entries.length >= MAX_ENTRIES) {
          truncated = true;
          return;
        }
        const path = rel ? `${rel}/${d.name}` : d.name;
        entries.push(d.isDirectory() ? `${path}/` : path);
        if (d.isDirectory() && level < depth) await walk(path, level + 1);
      }
    };
    await walk(base, 1);
    return { vm: ctx.vm, service: target.spec.name, dir: base || ".", entries, truncated };
  };
}
