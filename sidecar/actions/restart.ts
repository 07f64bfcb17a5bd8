/** The `restart` action: restart a service, then check it is active, stays up and answers its health URL. */
import type { Verification as VerificationReport } from "../../protocol/actions/service-words.ts";
import type { Adapters } from "../adapters/index.ts";
import { type ActionContext, ActionError, type ActionHandler } from "./handler.ts";
import { capLines } from "./logs.ts";
import { resolveService, type ServiceTarget } from "./targets.ts";
import { type Verification, verifyService } from "./verify-service.ts";

/** Lines of the journal attached when a service does not come up. */
const FAILURE_LOG_LINES = 20;

/** The verification in the shape an answer carries. */
export function describeVerification(v: Verification): VerificationReport {
  return {
    ok: v.ok,
    state: v.status ? `${v.status.activeState}/${v.status.subState}` : "unknown",
    pid: v.status?.mainPid ?? null,
    health: v.health ? { ok: v.health.ok, status: v.health.status, ms: v.health.ms } : null,
    reason: v.reason,
  };
}

/** The last journal lines of a unit, or a note that they could not be read. */
export async function lastLines(adapters: Adapters, unit: string, n = FAILURE_LOG_LINES): Promise<string[]> {
  try {
    return capLines(await adapters.journal.tail(unit, n)).lines;
  } catch (e) {
    return [`(journal unavailable: ${(e as Error).message})`];
  }
}

/** Restarts a service and verifies it; resolves with the verification (does not throw on a failed check). */
export async function restartAndVerify(
  adapters: Adapters,
  target: ServiceTarget,
  ctx: ActionContext,
  how: "restart" | "reload" = "restart",
): Promise<Verification> {
  if (how === "reload") await adapters.systemd.reload(target.unit);
  else await adapters.systemd.restart(target.unit);
  return verifyService(adapters, target.unit, target.spec.health, ctx.deadline, ctx.signal);
}

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
