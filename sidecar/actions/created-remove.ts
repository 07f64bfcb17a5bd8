/** The `created-remove` action: stop and remove a service or script voxops created (its units, timer, files and record). */
import type { Adapters } from "../adapters/index.ts";
import type { CreatedRegistry } from "../creation/created-registry.ts";
import { createCreator } from "../creation/creator.ts";
import { registryOf } from "../creation/staging.ts";
import type { ActionHandler } from "../services/handler.ts";
import { thisVm } from "../services/targets.ts";

/** Creates the handler. */
export function createCreatedRemove(
  adapters: Adapters,
  created?: CreatedRegistry,
): ActionHandler<"created-remove"> {
  return async (args, ctx) => {
    const record = await createCreator(adapters, thisVm(ctx), registryOf(adapters), created).remove(
      args.name,
    );
    return {
      vm: ctx.vm,
      removed: record.name,
      kind: record.kind,
      unit: record.unit,
      timer: record.timer ?? null,
      path: record.path,
    };
  };
}
