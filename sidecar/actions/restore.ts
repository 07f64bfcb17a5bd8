/** The `restore` action: brings a file back from the backup repository to where it came from. */
import { gitRefSchema } from "../../protocol/actions/catalog.ts";
import type { Adapters } from "../adapters/index.ts";
import { ActionError, type ActionHandler } from "../services/handler.ts";
import { restoreFile } from "../services/restore.ts";
import { checkRelativePath } from "../services/targets.ts";

/** Creates the handler. */
export function createRestore(adapters: Adapters): ActionHandler<"restore"> {
  return async (args, ctx) => {
    const path = checkRelativePath(args["path"]);
    let ref: string | undefined;
    if (args["ref"] !== undefined) {
      const parsed = gitRefSchema.safeParse(args["ref"]);
      if (!parsed.success || parsed.data.includes(".."))
        throw new ActionError(
          "forbidden-ref",
          `refused git ref ${JSON.stringify(String(args["ref"]).slice(0, 80))}`,
        );
      ref = parsed.data;
    }
    return restoreFile(adapters, ctx, path, ref);
  };
}
