/**
 * Fence plans: starting a plan, starting and re-sending its steps, moving on when a step does not
 * bring heartbeats back, and reading the executor's report of each step. One epoch per step; the
 * fence record of an epoch carries the time it was first written, from which the retry token comes.
 */

import type { Lang } from "../core/desk.ts";
import { isFinalStage as isFinal } from "../core/reboot-report.ts";
import { isOracleStep, isReset, stepOperation } from "./escalation.ts";
import {
  beginReboot,
  bootChanged,
  endAnsweringReboot,
  rebootStage,
  staleRebootWhy,
  stillAnswers,
} from "./manual-reboot.ts";
import { edgeHears, listeningFrom } from "./observers.ts";
import { mayReset, nextPlanAt } from "./reset-budget.ts";
import { alertOnce, audit, enter, type StepContext, secondsText, vmSpec } from "./step-context.ts";
import { gaveUpAlert } from "./watchdog-alerts.ts";
import type { StepName } from "./watchdog-config.ts";
import type { EffectFailure } from "./watchdog-messages.ts";
import type { FenceActor, FencePlan, VmWatch } from "./watchdog-state.ts";

/** Stops acting on a VM until a human does. */
export function giveUp(ctx: StepContext, vm: string, w: VmWatch, why: string): void {
  w.plan = null;
  enter(ctx, w, "gave-up");
  audit(ctx, vm, "gave-up", "left alone until a human acts", [why]);
  alertOnce(ctx, w, "gave-up", gaveUpAlert(vm, why));
}

function sendStep(ctx: StepContext, vm: string, plan: FencePlan): void {
  const step = plan.steps[plan.index] as StepName;
  const spec = vmSpec(ctx, vm);
  plan.sentAt = ctx.now;
  plan.attempts += 1;
  ctx.effects.push({
    kind: "fence",
    record: {
      vm,
      epoch: plan.epoch,
      step,
      at: plan.stepStartedAt,
      reason: plan.reason,
      actor: plan.actor,
      ...(spec.oci && isOracleStep(step) ? { instanceId: spec.oci.instanceId } : {}),
    },
    operation: stepOperation(spec, step, undefined),
  });
}

function startStep(ctx: StepContext, vm: string, w: VmWatch, plan: FencePlan): void {
  const step = plan.steps[plan.index] as StepName;
  const { budget } = ctx.settings;
  if (!plan.manual && isReset(step) && !mayReset(w, ctx.now, budget)) {
    giveUp(ctx, vm, w, `${budget.maxResets} resets in the last ${secondsText(budget.windowMs)} already`);
    return;
  }
  w.epoch += 1;
  plan.epoch = w.epoch;
  plan.stepStartedAt = ctx.now;
  plan.sentAt = null;
  plan.attempts = 0;
  plan.acceptedAt = null;
  if (isReset(step)) w.resets.push(ctx.now);
  audit(ctx, vm, "fence", `${step} requested`, [plan.reason], {
    actor: plan.actor,
    args: { step, epoch: plan.epoch, manual: plan.manual },
    ref: `fence:${vm}:${plan.epoch}`,
  });
  sendStep(ctx, vm, plan);
}

/** Starts a plan with the given steps and sends its first step. */
export function startPlan(
  ctx: StepContext,
  vm: string,
  w: VmWatch,
  options: { steps: StepName[]; manual: boolean; actor: FenceActor; reason: string; lang?: Lang | undefined },
): void {
  const { now } = ctx;
  const { lang, ...planOptions } = options;
  const plan: FencePlan = {
    ...planOptions,
    index: 0,
    startedAt: now,
    silentAtStart: !edgeHears(ctx.state, w, now, ctx.settings.timings),
    epoch: w.epoch,
    stepStartedAt: now,
    sentAt: null,
    attempts: 0,
    acceptedAt: null,
  };
  w.plan = plan;
  w.nextPlanAt = null;
  w.episodePlans += 1;
  enter(ctx, w, "fencing");
  startStep(ctx, vm, w, plan);
  if (options.manual && w.plan === plan) beginReboot(ctx, vm, w, plan, lang);
}

/** Moves to the plan's next step, or ends the plan (the VM stays dead, with backoff). */
export function advance(ctx: StepContext, vm: string, w: VmWatch, why: string): void {
  const plan = w.plan;
  if (!plan) return;
  audit(ctx, vm, "step-failed", `${plan.steps[plan.index]} did not help`, [why], {
    ref: `fence:${vm}:${plan.epoch}`,
  });
  plan.index += 1;
  if (plan.index < plan.steps.length) {
    startStep(ctx, vm, w, plan);
    return;
  }
  // A human's reboot of a VM that never stopped answering: it did not start or did not happen.
  if (stillAnswers(ctx, w, plan)) {
    endAnsweringReboot(ctx, vm, w, why);
    return;
  }
  if (plan.manual && w.reboot && !isFinal(w.reboot.stage)) rebootStage(ctx, vm, w, "not-back", why);
  w.plan = null;
  w.planEnds.push(ctx.now);
  w.nextPlanAt = nextPlanAt(w, ctx.now, ctx.settings.budget);
  w.reasons = [`${plan.manual ? "the requested reboot" : "the fence"} did not bring it back`, ...w.reasons];
  enter(ctx, w, "dead");
  audit(ctx, vm, "plan-ended", "still down", [why], {
    args: { nextPlanAt: w.nextPlanAt, steps: plan.steps },
  });
}

/** Moves the current step on when it was not accepted in time or did not bring heartbeats back. */
export function evaluateFencing(ctx: StepContext, vm: string, w: VmWatch): void {
  const plan = w.plan;
  if (!plan) {
    enter(ctx, w, "dead");
    return;
  }
  if (!ctx.leader) return;
  const t = ctx.settings.timings;
  const step = plan.steps[plan.index] as StepName;
  const stale = staleRebootWhy(ctx, w);
  if (stale) {
    advance(ctx, vm, w, stale);
    return;
  }
  // Silence counts only while this controller was listening (not across its own restart, nor while
  // the sidecar may still be dialling a restarted controller back).
  const listenedFrom = Math.max(listeningFrom(ctx.state, w), ctx.state.resumedAt ?? 0, plan.acceptedAt ?? 0);
  if (w.reboot?.stage === "accepted" && ctx.now - listenedFrom >= t.suspectAfterMs)
    rebootStage(ctx, vm, w, "down", "heartbeats stopped");
  if (plan.acceptedAt === null) {
    if (plan.sentAt !== null && ctx.now - plan.sentAt < t.resendAfterMs) return;
    if (plan.attempts < t.maxSendAttempts) sendStep(ctx, vm, plan);
    else advance(ctx, vm, w, `${step} was not accepted after ${plan.attempts} sends`);
    return;
  }
  if (ctx.now - plan.acceptedAt >= t.stepTimeoutMs[step])
    advance(ctx, vm, w, `no heartbeat ${secondsText(ctx.now - plan.acceptedAt)} after ${step}`);
}

/** True when a heartbeat (or hello) during a step shows the VM back (after a reboot where one was asked). */
export function heartbeatShowsReturn(
  plan: FencePlan,
  w: VmWatch,
  uptimeS: number | undefined,
  now: number,
): boolean {
  const step = plan.steps[plan.index];
  if (step === "restart-sidecar" || plan.silentAtStart) return now >= plan.stepStartedAt;
  if (bootChanged(w)) return true;
  return uptimeS !== undefined && uptimeS * 1000 <= now - plan.startedAt + 30_000;
}

const configFailures = new Set([
  "NotAuthenticated",
  "NotAuthorizedOrNotFound",
  "bad-key",
  "no-region",
  "no-oracle",
]);

/** Reads the executor's report of a step. */
export function onFenceResult(
  ctx: StepContext,
  vm: string,
  w: VmWatch,
  epoch: number,
  ok: boolean,
  error: EffectFailure | undefined,
  opcRequestId: string | undefined,
): void {
  const plan = w.plan;
  const ref = `fence:${vm}:${epoch}`;
  if (!plan || plan.epoch !== epoch) {
    audit(ctx, vm, "fence-result", ok ? "done" : "failed", error ? [error.message] : [], { ref });
    return;
  }
  const step = plan.steps[plan.index] as StepName;
  if (ok) {
    if (plan.acceptedAt === null) plan.acceptedAt = ctx.now;
    if (plan.manual && w.reboot?.stage === "requested") rebootStage(ctx, vm, w, "accepted");
    audit(ctx, vm, isReset(step) ? "reset" : "repair", `${step} accepted`, [plan.reason], {
      actor: plan.actor,
      args: { step, epoch, attempts: plan.attempts, ...(opcRequestId ? { opcRequestId } : {}) },
      ref,
    });
    return;
  }
  const why = error ? `${error.message}${error.hint ? ` (${error.hint})` : ""}` : `${step} failed`;
  audit(ctx, vm, "fence-result", `${step} failed`, [why], { args: { step, epoch }, ref });
  if (!error || error.code === "lease-lost" || error.retryable || error.code === "IncorrectState") return;
  if (isOracleStep(step) && configFailures.has(error.code)) giveUp(ctx, vm, w, why);
  else advance(ctx, vm, w, why);
}
