/** The `code-apply` action: a confirmed change to a service's source, through the apply pipeline. */
import type { Adapters } from "../adapters/index.ts";
import { applyChange } from "../code/apply-pipeline.ts";
import type { ActionHandler } from "../services/handler.ts";
import { resolveService } from "../services/targets.ts";

/** Creates the handler. */
export function createCodeApply(adapters: Adapters): ActionHandler<"code-apply"> {
  return async (args, ctx) => {
    const target = resolveService(ctx, args.service);
    return applyChange(
      adapters,
      target,
      {
        request: args.request,
        files: args.files,
        diffSha256: args.diffSha256,
        endpoint: args.endpoint,
        lang: args.lang,
      },
      ctx,
    );
  };
}
