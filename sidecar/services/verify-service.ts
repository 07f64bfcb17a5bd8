/** Checks that a service came up: its unit reaches active, stays active, and its health URL answers. */

import type { Verification as ProtocolVerification } from "../../protocol/actions/service-words.ts";
import { type HealthResult, waitHealthy } from "../adapters/health.ts";
import type { Adapters } from "../adapters/index.ts";
import type { UnitStatus } from "../adapters/systemd.ts";

/** Why a check failed, typed (`verificationSchema.why` in protocol/actions/service-words.ts). */
export type VerificationWhy = NonNullable<ProtocolVerification["why"]>;

/** What the check found; `reason` says in (English) words why it failed, `why` the same typed for the edge's words. */
export interface Verification {
  readonly ok: boolean;
  readonly status: UnitStatus | null;
  readonly health: HealthResult | null;
  readonly reason: string | null;
  readonly why: VerificationWhy | null;
  readonly ms: number;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, Math.max(0, ms)));

/** Waits (bounded by the timing and `deadline`) until `unit` is active and stable and `healthUrl` answers. */
export async function verifyService(
  adapters: Adapters,
  unit: string,
  healthUrl: string | undefined,
  deadline: number,
  signal?: AbortSignal,
): Promise<Verification> {
  const t = adapters.timing;
  const started = Date.now();
  const result = (
    ok: boolean,
    status: UnitStatus | null,
    health: HealthResult | null,
    reason: string | null,
    why: VerificationWhy | null = null,
  ) => ({
    ok,
    status,
    health,
    reason,
    why,
    ms: Date.now() - started,
  });
  const read = async () => (await adapters.systemd.status([unit]))[0] ?? null;
  const activeBy = Math.min(started + t.activeWithinMs, deadline);
  let status = await read();
  while (status?.activeState !== "active") {
    if (status?.activeState === "failed")
      return result(false, status, null, `the unit failed (${status.result})`, {
        kind: "failed",
        result: status.result,
      });
    if (!status?.loaded) return result(false, status, null, "systemd has no such unit", { kind: "no-unit" });
    if (Date.now() >= activeBy || signal?.aborted)
      return result(false, status, null, `the unit is ${status.activeState}/${status.subState}, not active`, {
        kind: "not-active",
        state: `${status.activeState}/${status.subState}`,
      });
    await sleep(150);
    status = await read();
  }
  const pid = status.mainPid;
  const restarts = status.restarts;
  await sleep(Math.min(t.stableMs, deadline - Date.now()));
  status = await read();
  if (status?.activeState !== "active" || status.mainPid !== pid || status.restarts !== restarts)
    return result(
      false,
      status,
      null,
      `the unit did not stay up (now ${status?.activeState}/${status?.subState})`,
      { kind: "not-stable", state: `${status?.activeState}/${status?.subState}` },
    );
  if (!healthUrl) return result(true, status, null, null);
  const health = await waitHealthy(healthUrl, {
    withinMs: Math.max(500, Math.min(t.healthWithinMs, deadline - Date.now())),
    timeoutMs: t.healthTimeoutMs,
    ...(signal ? { signal } : {}),
  });
  status = await read();
  if (!health.ok)
    return result(false, status, health, `the health check failed: ${health.error ?? "no answer"}`, {
      kind: "health",
      ...(health.error ? { error: health.error } : {}),
    });
  if (status?.activeState !== "active")
    return result(false, status, health, "the unit stopped after answering", {
      kind: "stopped-after-health",
    });
  return result(true, status, health, null);
}
