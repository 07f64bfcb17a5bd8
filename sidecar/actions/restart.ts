/** The `restart` action: restart a service, then check it is active, stays up and answers its health URL. */
import type { Adapters } from "../adapters/index.ts";
import { ActionError, type ActionHandler } from "../services/handler.ts";
import { describeVerification, lastLines, restartAndVerify } from "../services/restart.ts";
import { resolveService } from "../services/targets.ts";

/** Creates the handler. */
export function createRestart(adapters: Adapters): ActionHandler<"restart"> {
  return async ({ service }, ctx) => {
    const target = resolveService(ctx, service);
    const started = ctx.now();
    const v = await restartAndVerify(adapters, target, ctx);
    const durationMs = ctx.now() - started;
    if (v.ok)
      return {
        vm: ctx.vm,
        service: target.spec.name,
        unit: target.unit,
        durationMs,
        verified: describeVerification(v),
      };
    const logs = await lastLines(adapters, target.unit);
    throw new ActionError(
      "restart-failed",
      `${target.spec.name} did not come up after restart: ${v.reason ?? "unknown reason"} (${Math.round(durationMs / 100) / 10} s)`,
      {
        retryable: false,
        details: { service: target.spec.name, durationMs, verified: describeVerification(v), logs },
      },
    );
  };
}
