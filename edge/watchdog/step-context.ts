/** What the step function's parts share while one input is processed: time, lease and the output. */
import type { AuditEntry } from "../core/audit.ts";
import type { Alert } from "../core/desk.ts";
import type { WatchdogSettings, WatchedVm } from "./watchdog-config.ts";
import type { WatchdogEffect } from "./watchdog-messages.ts";
import type { FenceActor, Phase, VmWatch, WatchdogState } from "./watchdog-state.ts";

/** One step's working context; `state` is the step's own copy and may be changed. */
export interface StepContext {
  readonly now: number;
  /** True when this controller holds the fencing lease; only then does the watchdog act. */
  readonly leader: boolean;
  readonly settings: WatchdogSettings;
  readonly state: WatchdogState;
  readonly effects: WatchdogEffect[];
}

/** The watchdog as an actor in the audit. */
export const watchdogActor: FenceActor = { kind: "watchdog", id: "watchdog" };

/** The inventory facts of a VM. */
export function vmSpec(ctx: StepContext, vm: string): WatchedVm {
  return ctx.settings.vms.find((v) => v.name === vm) ?? { name: vm, autoReset: false };
}

/** Moves a VM to a phase. */
export function enter(ctx: StepContext, w: VmWatch, phase: Phase): void {
  w.phase = phase;
  w.since = ctx.now;
}

/** Queues an audit record (only the lease holder writes the audit). */
export function audit(
  ctx: StepContext,
  vm: string,
  action: string,
  outcome: string,
  reasons: readonly string[],
  extra: { actor?: FenceActor; args?: Record<string, unknown>; ref?: string } = {},
): void {
  if (!ctx.leader) return;
  const entry: AuditEntry = {
    actor: extra.actor ?? watchdogActor,
    action: `watchdog.${action}`,
    target: vm,
    args: { reasons, ...extra.args },
    outcome,
    detail: reasons.join("; "),
    ...(extra.ref ? { ref: extra.ref } : {}),
  };
  ctx.effects.push({ kind: "audit", entry });
}

/** Queues an alert once per episode under `name` (only the lease holder alerts). */
export function alertOnce(ctx: StepContext, w: VmWatch, name: string, alert: Alert): void {
  if (!ctx.leader || w.alerted.includes(name)) return;
  w.alerted.push(name);
  ctx.effects.push({ kind: "alert", alert });
}

/** Whole seconds, for reasons people read. */
export function secondsText(ms: number): string {
  return `${Math.round(ms / 1000)} s`;
}
