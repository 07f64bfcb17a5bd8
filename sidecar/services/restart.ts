/**
 * Restarting a service and checking it is active, stays up and answers its health URL: the operation the
 * `restart` action, auto-fix and code changes share.
 */
import type { Verification as VerificationReport } from "../../protocol/actions/service-words.ts";
import type { Adapters } from "../adapters/index.ts";
import type { ActionContext } from "./handler.ts";
import { capLines } from "./log-lines.ts";
import type { ServiceTarget } from "./targets.ts";
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
    why: v.why,
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
