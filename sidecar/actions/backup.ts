/** The `backup` action: commits and pushes this VM's configured paths to the backup repository now. */
import type { Adapters } from "../adapters/index.ts";
import { runBackup } from "../services/backup.ts";
import type { ActionHandler } from "../services/handler.ts";

/** Creates the handler. */
export function createBackup(adapters: Adapters): ActionHandler<"backup"> {
  return async (args, ctx) => {
    const reason =
      typeof args["reason"] === "string" && args["reason"] !== "" ? args["reason"] : "backup on demand";
    const r = await runBackup(adapters, ctx, reason);
    return { vm: ctx.vm, ...r };
  };
}
