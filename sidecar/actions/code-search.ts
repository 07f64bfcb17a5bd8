import { searchConfined } from "../code/confined-walk.ts";
import { openSourceRoot } from "../code/source-root.ts";
import type { ActionHandler } from "../services/handler.ts";
import { resolveService } from "../services/targets.ts";

const MAX_FILES = 2000;

/** Creates the handler. */
export function createCodeSearch(): ActionHandler<"code-search"> {
  return async (args, ctx) => {
    const target = resolveService(ctx, args["service"]);
    const root = await openSourceRoot(target.spec.name, target.spec.code);
    const maxHits = typeof args["maxHits"] === "number" ? args["maxHits"] : 50;
    const { hits, filesSearched } = await searchConfined(root, String(args["text"]), {
      maxHits,
      maxFiles: MAX_FILES,
      shown: (line) => line.slice(0, 300),
      reportTruncation: false,
    });
    return { vm: ctx.vm, service: target.spec.name, text: args["text"], hits, filesSearched };
  };
}
