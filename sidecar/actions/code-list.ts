import { listConfined } from "../code/confined-walk.ts";
import { openSourceRoot } from "../code/source-root.ts";
import type { ActionHandler } from "../services/handler.ts";
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
    const { entries, truncated } = await listConfined(root, base, {
      depth,
      maxEntries: MAX_ENTRIES,
      skipBuildOutput: true,
      fromRoot: true,
      notADirectory: (rel) => `${rel || "."} is not a directory of the source`,
    });
    return { vm: ctx.vm, service: target.spec.name, dir: base || ".", entries, truncated };
  };
}
