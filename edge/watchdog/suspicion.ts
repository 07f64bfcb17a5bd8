/**
 * A suspect VM: ask the live peers to probe it at once (SWIM's indirect probe), read Oracle's view
 * when no peer can tell, and declare it dead only when two observers agree after the grace window.
 *
 * Agreement rules (edge = this controller's heartbeats; it must be silent for all of them):
 *   1. a live peer could not reach the VM (a failed indirect probe, or its own report of
 *      `peerSuspectMisses` misses), and no live peer could → dead;
 *   2. Oracle reports STOPPED/STOPPING and no live peer reaches the VM → dead;
 *   3. no live peer can tell, Oracle answers (so this controller is not the one cut off) and reports
 *      RUNNING, and the silence has lasted `loneDeadAfterMs` → dead, "presumed hung" (the weakest
 *      rule, hence the longer wait);
 *   4. Oracle reports TERMINATED/TERMINATING → nothing to fence: gave-up.
 * A peer that still reaches the VM vetoes the verdict: only the link to the controller is broken,
 * so the watchdog restarts the VM's sidecar through that peer once and otherwise only alerts.
 */

import { stepOperation } from "./escalation.ts";
import { giveUp } from "./fencing.ts";
import { downStates, edgeSilenceMs, freshOracleState, goneStates, peerOpinion } from "./observers.ts";
import {
  alertOnce,
  audit,
  enter,
  type StepContext,
  secondsText,
  vmSpec,
  watchdogActor,
} from "./step-context.ts";
import { deadAlert, suspectAlert } from "./watchdog-alerts.ts";
import type { VmWatch } from "./watchdog-state.ts";

function requestProbes(ctx: StepContext, vm: string, w: VmWatch, peers: readonly string[]): void {
  const t = ctx.settings.timings;
  for (const peer of peers) {
    const probe = w.probes[peer];
    const due =
      probe === undefined ||
      probe.requestedAt < w.since ||
      (probe.answeredAt !== null && ctx.now - probe.answeredAt >= t.probeRefreshMs) ||
      (probe.answeredAt === null && ctx.now - probe.requestedAt >= t.probeRefreshMs);
    if (!due) continue;
    const requestId = `probe-${vm}-${peer}-${ctx.now}`;
    const previous =
      probe && probe.requestedAt >= w.since && probe.answeredAt !== null
        ? { reached: probe.reached, at: probe.answeredAt }
        : undefined;
    w.probes[peer] = {
      requestId,
      requestedAt: ctx.now,
      answeredAt: null,
      reached: null,
      ...(previous ? { previous } : {}),
    };
    ctx.effects.push({ kind: "probe", vm, via: peer, requestId, timeoutMs: t.probeTimeoutMs });
  }
}

function repairThroughPeer(ctx: StepContext, vm: string, w: VmWatch, via: string): void {
  w.repairTried = true;
  w.epoch += 1;
  const reason = `${via} still reaches ${vm} but this controller does not: restarting its sidecar through ${via}`;
  audit(ctx, vm, "repair", "restart-sidecar requested", [reason], { args: { via, epoch: w.epoch } });
  ctx.effects.push({
    kind: "fence",
    record: { vm, epoch: w.epoch, step: "restart-sidecar", at: ctx.now, reason, actor: watchdogActor },
    operation: stepOperation(vmSpec(ctx, vm), "restart-sidecar", via),
  });
}

/** Judges a suspect VM; may declare it dead (then `evaluateDead` takes over). */
export function evaluateSuspect(ctx: StepContext, vm: string, w: VmWatch): "dead" | "suspect" {
  const { now, settings } = ctx;
  const t = settings.timings;
  const spec = vmSpec(ctx, vm);
  const silence = edgeSilenceMs(ctx.state, w, now);
  const first = peerOpinion(ctx.state, vm, now, t);
  if (ctx.leader) requestProbes(ctx, vm, w, first.peers);
  const { opinion, by } = peerOpinion(ctx.state, vm, now, t);
  const staleOracle =
    w.oracleRequestedAt === null ||
    w.oracleRequestedAt < w.since ||
    now - w.oracleRequestedAt >= t.oracleRefreshMs;
  if (ctx.leader && spec.oci && opinion === "none" && staleOracle) {
    w.oracleRequestedAt = now;
    ctx.effects.push({
      kind: "oracle-get",
      vm,
      instanceId: spec.oci.instanceId,
      ...(spec.oci.region ? { region: spec.oci.region } : {}),
    });
  }
  const lifecycle = freshOracleState(w);
  if (lifecycle !== null && goneStates.has(lifecycle)) {
    giveUp(ctx, vm, w, `Oracle reports the instance ${lifecycle}`);
    return "suspect";
  }
  const graceOver = now - w.since >= t.graceMs;
  const reasons = [`this controller has heard nothing for ${secondsText(silence)}`];
  const downBy = Object.entries(by)
    .filter(([, e]) => e === "down")
    .map(([p]) => p);
  let verdict = false;
  if (graceOver && opinion === "down") {
    verdict = true;
    for (const p of downBy)
      reasons.push(`${p} cannot reach it either${w.probes[p]?.detail ? ` (${w.probes[p]?.detail})` : ""}`);
  } else if (graceOver && lifecycle !== null && downStates.has(lifecycle) && opinion !== "up") {
    verdict = true;
    reasons.push(`Oracle reports the instance ${lifecycle}`);
  } else if (opinion === "none" && lifecycle === "RUNNING" && silence >= t.loneDeadAfterMs) {
    verdict = true;
    reasons.push("no live peer can probe it; Oracle answers and reports RUNNING, so it is presumed hung");
  }
  if (verdict) {
    w.reasons = reasons;
    enter(ctx, w, "dead");
    audit(ctx, vm, "verdict", "dead", reasons, { args: { peers: by, lifecycle } });
    return "dead";
  }
  const upBy = Object.entries(by).find(([, e]) => e === "up")?.[0];
  if (graceOver && upBy && ctx.leader && !w.repairTried) repairThroughPeer(ctx, vm, w, upBy);
  if (now - w.since >= t.suspectAlertAfterMs) {
    const why = upBy
      ? {
          ru: `${upBy} её видит: оборвана связь с контроллером, машину не перезагружаю.`,
          en: `${upBy} still reaches it: the link to the controller is broken; not rebooting it.`,
        }
      : opinion === "none" && !spec.oci
        ? {
            ru: "Спросить некого и в инвентаре нет Oracle instance: сама не перезагружаю.",
            en: "No peer to ask and no Oracle instance in the inventory: not rebooting it on my own.",
          }
        : opinion === "none"
          ? {
              ru: `Живых соседей нет; Oracle: ${lifecycle ?? w.oracle?.error ?? "нет ответа"}.`,
              en: `No live peer to ask; Oracle says ${lifecycle ?? w.oracle?.error ?? "nothing yet"}.`,
            }
          : { ru: "Проверяю через соседнюю машину.", en: "Checking through its peer." };
    alertOnce(ctx, w, "suspect", suspectAlert(vm, silence, why));
  }
  return "suspect";
}

/** A dead VM: alert, then start an automatic plan if allowed, within the budget and backoff. */
export function evaluateDead(ctx: StepContext, vm: string, w: VmWatch, startAutomaticPlan: () => void): void {
  if (!ctx.leader) return;
  const spec = vmSpec(ctx, vm);
  const whyNot = !spec.autoReset
    ? "autoReset is off for this VM"
    : !spec.oci
      ? "the inventory names no Oracle instance for it"
      : undefined;
  alertOnce(ctx, w, "dead", deadAlert(vm, w.reasons, whyNot === undefined, whyNot));
  if (whyNot !== undefined) return;
  if (w.nextPlanAt !== null && ctx.now < w.nextPlanAt) return;
  startAutomaticPlan();
}
