/** The `reboot` action (destructive; the controller's policy gate confirms it before it gets here). */
import type { Adapters } from "../adapters/index.ts";
import type { ActionHandler } from "../services/handler.ts";

/** Creates the handler: soft asks systemd for an orderly reboot, hard skips stopping services. */
export function createReboot(adapters: Adapters): ActionHandler<"reboot"> {
  return async (args, ctx) => {
    const mode = args["mode"] === "hard" ? "hard" : "soft";
    await adapters.systemd.reboot({ force: mode === "hard" });
    return { vm: ctx.vm, mode, requestedAt: new Date(ctx.now()).toISOString() };
  };
}
