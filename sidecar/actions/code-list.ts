import type { Adapters } from "../adapters/index.ts";
import { openSourceRoot } from "../code/source-root.ts";
import { treeReadsFor } from "../code/tree-reads.ts";
import type { ActionHandler } from "../services/handler.ts";
import { resolveService } from "../services/targets.ts";

/** Creates the handler; on an installed VM a tree the sidecar may not read is listed as its owner. */
export function createCodeList(adapters: Pick<Adapters, "privilege"> = {}): ActionHandler<"code-list"> {
  return async (args, ctx) => {
    const target = resolveService(ctx, args["service"]);
    const root = await openSourceRoot(target.spec.name, target.spec.code);
    const depth = typeof args["depth"] === "number" ? args["depth"] : 2;
    const listing = await treeReadsFor(adapters.privilege, root, target.spec.name).list(args["dir"], depth);
    return { vm: ctx.vm, service: target.spec.name, ...listing };
  };
}
