/**
 * A human's reboot of one VM as the watchdog follows it: requested → accepted → went down → came back
 * (a hello from a new boot), or did not start (the sidecar refused), did not go down (heartbeats
 * from the same boot went on), did not come back. Each stage is audited under the person who asked
 * and the reboot's reference, never under the watchdog, and kept in the VM's `reboot` record for the
 * follow-up that tells the asker.
 */
import type { Lang } from "../core/desk.ts";
import { isFinalStage as isFinal, type RebootStage } from "../core/reboot-report.ts";
import { edgeHears } from "./observers.ts";
import { enter, type StepContext, secondsText } from "./step-context.ts";
import type { FencePlan, RebootRecord, VmWatch } from "./watchdog-state.ts";

/** Opens the record of a reboot a human asked for, once its plan's first step is sent. */
export function beginReboot(
  ctx: StepContext,
  vm: string,
  w: VmWatch,
  plan: FencePlan,
  lang: Lang | undefined,
): RebootRecord {
  const record: RebootRecord = {
    ref: `fence:${vm}:${plan.epoch}`,
    actor: plan.actor,
    requestedAt: ctx.now,
    bootId: w.bootId ?? null,
    stage: "requested",
    at: ctx.now,
    ...(lang ? { lang } : {}),
  };
  w.reboot = record;
  return record;
}

/** Moves the reboot to a stage and audits it under its asker. */
export function rebootStage(
  ctx: StepContext,
  vm: string,
  w: VmWatch,
  stage: RebootStage,
  why?: string,
): void {
  const r = w.reboot;
  if (!r || r.stage === stage || isFinal(r.stage)) return;
  r.stage = stage;
  r.at = ctx.now;
  if (why !== undefined) r.why = why.slice(0, 500);
  if (!ctx.leader) return;
  ctx.effects.push({ kind: "reboot-stage", vm, record: structuredClone(r) });
  const detail = stage === "back" ? `back after ${secondsText(ctx.now - r.requestedAt)}` : (why ?? stage);
  ctx.effects.push({
    kind: "audit",
    entry: {
      actor: r.actor,
      action: "reboot",
      target: vm,
      args: { stage, requestedAt: r.requestedAt, ...(r.bootId ? { bootId: r.bootId } : {}) },
      outcome: outcomeWords[stage],
      detail,
      ref: r.ref,
    },
  });
}

const outcomeWords: Record<RebootStage, string> = {
  requested: "requested",
  accepted: "accepted",
  down: "went down",
  back: "came back",
  "not-down": "did not go down",
  "not-started": "did not start",
  "not-back": "did not come back",
};

/** True when a hello shows a boot other than the one the reboot was asked in. */
export function bootChanged(w: VmWatch): boolean {
  const r = w.reboot;
  return Boolean(r?.bootId && w.bootId && w.bootId !== r.bootId);
}

/**
 * Why the running reboot is stale, if it is: its sidecar accepted it (or the plan began) long enough
 * ago and the VM has kept sending heartbeats from the same boot since. Undefined while it may still
 * happen.
 */
export function staleRebootWhy(ctx: StepContext, w: VmWatch): string | undefined {
  const plan = w.plan;
  const r = w.reboot;
  if (!plan?.manual || plan.silentAtStart) return undefined;
  if (r && (isFinal(r.stage) || r.stage === "down")) return undefined;
  const since = plan.acceptedAt ?? plan.stepStartedAt;
  const heardAfter = w.lastHeartbeatAt !== null && w.lastHeartbeatAt > since;
  // State saved before reboots were recorded: the uptime tells the same boot.
  const sameBoot = r
    ? r.bootId === null || w.bootId === r.bootId
    : w.lastUptimeS !== null && w.lastUptimeS * 1000 > ctx.now - plan.startedAt;
  if (!heardAfter || !sameBoot) return undefined;
  const t = ctx.settings.timings;
  // Unanswered, the plan's own resends decide; only a plan left over from a stopped controller is stale.
  const wait =
    plan.acceptedAt === null ? t.resendAfterMs * t.maxSendAttempts + t.rebootGoDownMs : t.rebootGoDownMs;
  if (ctx.now - since < wait) return undefined;
  return plan.acceptedAt === null
    ? `no answer to the reboot for ${secondsText(ctx.now - since)} while heartbeats from the same boot went on`
    : `heartbeats from the same boot went on for ${secondsText(ctx.now - since)} after the reboot was accepted`;
}

/**
 * Ends a human's plan on a VM that still answers from the same boot: the reboot did not start or
 * did not happen. The VM is healthy (it never stopped answering), and a later reboot may start.
 */
export function endAnsweringReboot(ctx: StepContext, vm: string, w: VmWatch, why: string): void {
  const stage: RebootStage = w.reboot?.stage === "requested" ? "not-started" : "not-down";
  w.plan = null;
  w.reasons = [];
  enter(ctx, w, "healthy");
  rebootStage(ctx, vm, w, stage, why);
}

/** True when a manual plan's VM still answers from the boot it was asked in. */
export function stillAnswers(ctx: StepContext, w: VmWatch, plan: FencePlan): boolean {
  if (!plan.manual || plan.silentAtStart) return false;
  const r = w.reboot;
  const sameBoot = !r || r.bootId === null || w.bootId === r.bootId;
  return sameBoot && w.reboot?.stage !== "down" && edgeHears(ctx.state, w, ctx.now, ctx.settings.timings);
}
