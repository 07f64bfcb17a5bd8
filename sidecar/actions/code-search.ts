import type { Adapters } from "../adapters/index.ts";
import { openSourceRoot } from "../code/source-root.ts";
import { treeReadsFor } from "../code/tree-reads.ts";
import type { ActionHandler } from "../services/handler.ts";
import { resolveService } from "../services/targets.ts";

/** Creates the handler; on an installed VM a tree the sidecar may not read is searched as its owner. */
export function createCodeSearch(adapters: Pick<Adapters, "privilege"> = {}): ActionHandler<"code-search"> {
  return async (args, ctx) => {
    const target = resolveService(ctx, args["service"]);
    const root = await openSourceRoot(target.spec.name, target.spec.code);
    const maxHits = typeof args["maxHits"] === "number" ? args["maxHits"] : 50;
    const { hits, filesSearched } = await treeReadsFor(adapters.privilege, root, target.spec.name).search(
      String(args["text"]),
      maxHits,
    );
    return { vm: ctx.vm, service: target.spec.name, text: args["text"], hits, filesSearched };
  };
}
