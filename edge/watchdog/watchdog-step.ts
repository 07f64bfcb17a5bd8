/**
 * The watchdog as a pure state machine: `stepWatchdog(state, input, settings, {now, leader})`
 * returns the next state and the effects to run. Inputs record observations; then every VM is
 * judged against the clock. Nothing here does I/O or reads a clock of its own.
 */
import { automaticSteps, manualSteps } from "./escalation.ts";
import { evaluateFencing, heartbeatShowsReturn, onFenceResult, startPlan } from "./fencing.ts";
import { endAnsweringReboot, rebootStage, staleRebootWhy } from "./manual-reboot.ts";
import { awaitingRedial, edgeHears } from "./observers.ts";
import { pruneBudget } from "./reset-budget.ts";
import {
  alertOnce,
  audit,
  enter,
  type StepContext,
  secondsText,
  vmSpec,
  watchdogActor,
} from "./step-context.ts";
import { evaluateDead, evaluateSuspect } from "./suspicion.ts";
import { partitionAlert, recoveredAlert } from "./watchdog-alerts.ts";
import type { WatchdogSettings } from "./watchdog-config.ts";
import type { RebootReply, StepOutput, WatchdogInput } from "./watchdog-messages.ts";
import { createVmWatch, type VmWatch, type WatchdogState } from "./watchdog-state.ts";

function beginSuspicion(ctx: StepContext, vm: string, w: VmWatch, newEpisode: boolean): void {
  enter(ctx, w, "suspect");
  w.probes = {};
  w.oracle = null;
  w.reasons = [];
  w.alerted = w.alerted.filter((a) => a.startsWith("partition:"));
  w.repairTried = false;
  if (newEpisode) {
    w.episodeStart = ctx.now;
    w.episodePlans = 0;
  }
  audit(ctx, vm, "suspect", "suspect", [
    `no heartbeat for ${secondsText(ctx.now - (w.lastHeartbeatAt ?? ctx.state.observeFrom))}`,
  ]);
}

function recover(ctx: StepContext, vm: string, w: VmWatch): void {
  const after = w.reasons[0]?.startsWith("after ") ? w.reasons[0].slice(6) : null;
  const downMs = ctx.now - (w.episodeStart ?? w.since);
  const wasReported =
    w.alerted.some((a) => a === "suspect" || a === "dead" || a === "gave-up") || after !== null;
  enter(ctx, w, "healthy");
  audit(ctx, vm, "recovered", "healthy", [after ? `back after ${after}` : "heartbeats are back"]);
  if (wasReported) alertOnce(ctx, w, "recovered", recoveredAlert(vm, after, downMs));
  w.alerted = w.alerted.filter((a) => a.startsWith("partition:"));
  w.episodeStart = null;
  w.episodePlans = 0;
  w.reasons = [];
}

function notePartitions(ctx: StepContext, vm: string, w: VmWatch): void {
  const t = ctx.settings.timings;
  for (const [peer, report] of Object.entries(w.peerReports)) {
    const key = `partition:${peer}`;
    if (report.ok) w.alerted = w.alerted.filter((a) => a !== key);
    else if (report.misses >= t.peerSuspectMisses && ctx.now - report.at <= 2 * t.heartbeatIntervalMs) {
      if (!w.alerted.includes(key))
        audit(ctx, vm, "partition", "no fence", [`${peer} cannot reach ${vm}; this controller hears both`]);
      alertOnce(ctx, w, key, partitionAlert(vm, peer));
    }
  }
}

function evaluateVm(ctx: StepContext, vm: string, w: VmWatch): void {
  const t = ctx.settings.timings;
  // Just after this controller started, a VM it has not heard yet is judged once its sidecar had time to dial back.
  if (w.phase !== "fencing" && awaitingRedial(ctx.state, w, ctx.now)) return;
  const hears = edgeHears(ctx.state, w, ctx.now, t);
  pruneBudget(w, ctx.now, ctx.settings.budget);
  const autoPlan = () =>
    startPlan(ctx, vm, w, {
      steps: automaticSteps(vmSpec(ctx, vm), w.oracle?.state ?? null, w.episodePlans),
      manual: false,
      actor: watchdogActor,
      reason: w.reasons.join("; "),
    });
  switch (w.phase) {
    case "healthy":
      if (hears) notePartitions(ctx, vm, w);
      else {
        beginSuspicion(ctx, vm, w, true);
        if (evaluateSuspect(ctx, vm, w) === "dead") evaluateDead(ctx, vm, w, autoPlan);
      }
      return;
    case "suspect":
      if (hears) recover(ctx, vm, w);
      else if (evaluateSuspect(ctx, vm, w) === "dead") evaluateDead(ctx, vm, w, autoPlan);
      return;
    case "dead":
      if (hears) enter(ctx, w, "recovering");
      else evaluateDead(ctx, vm, w, autoPlan);
      return;
    case "fencing":
      evaluateFencing(ctx, vm, w);
      return;
    case "recovering":
      if (!hears) {
        beginSuspicion(ctx, vm, w, false);
        if (evaluateSuspect(ctx, vm, w) === "dead") evaluateDead(ctx, vm, w, autoPlan);
      } else if (ctx.now - w.since >= t.recoveryGraceMs) recover(ctx, vm, w);
      return;
    case "gave-up":
      if (hears && (w.lastHeartbeatAt ?? 0) > w.since) enter(ctx, w, "recovering");
      return;
  }
}

/** The escalation steps as the operator reads them (the internal names stay in the audit). */
const stepWords: Partial<Record<string, readonly [ru: string, en: string]>> = {
  "restart-sidecar": ["перезапуск сайдкара", "restart the sidecar"],
  "soft-reboot": ["systemctl reboot через сайдкар", "systemctl reboot through the sidecar"],
  SOFTRESET: ["мягкий сброс через Oracle Cloud (SOFTRESET)", "a soft reset through Oracle Cloud (SOFTRESET)"],
  RESET: ["жёсткий сброс через Oracle Cloud (RESET)", "a hard reset through Oracle Cloud (RESET)"],
  START: ["запуск через Oracle Cloud (START)", "a start through Oracle Cloud (START)"],
};

function reboot(ctx: StepContext, input: Extract<WatchdogInput, { type: "reboot-request" }>): RebootReply {
  const { vm } = input;
  const w = ctx.state.vms[vm];
  const no = (ru: string, en: string): RebootReply => ({ accepted: false, vm, text: { ru, en } });
  if (!w) return no(`Машины ${vm} нет в инвентаре.`, `${vm} is not in the inventory.`);
  if (!ctx.leader)
    return no(
      "Этот контроллер сейчас не управляет перезагрузками.",
      "This controller does not hold the fencing lease now.",
    );
  // A reboot that did not happen (its VM answers from the same boot) never blocks the next one.
  const stale = staleRebootWhy(ctx, w);
  if (stale) endAnsweringReboot(ctx, vm, w, stale);
  if (w.plan) {
    const words = stepWords[w.plan.steps[w.plan.index] ?? ""] ?? ["перезагрузка", "a reboot"];
    const ago = Math.round((ctx.now - w.plan.stepStartedAt) / 1000);
    return no(
      `${vm} уже перезагружается: ${words[0]} запрошен ${ago} с назад. Дождитесь, пока она вернётся.`,
      `${vm} is already being rebooted: ${words[1]} was asked ${ago} s ago. Wait for it to come back.`,
    );
  }
  const hears = edgeHears(ctx.state, w, ctx.now, ctx.settings.timings);
  const steps = manualSteps(vmSpec(ctx, vm), input.mode, hears);
  if (steps.length === 0)
    return no(
      `${vm} не отвечает, а Oracle instance в инвентаре не указан: перезагрузить нечем.`,
      `${vm} does not answer and the inventory names no Oracle instance: nothing can reboot it.`,
    );
  if (!hears) w.episodeStart ??= ctx.now;
  w.reasons = [];
  startPlan(ctx, vm, w, { steps, manual: true, actor: input.actor, reason: input.reason, lang: input.lang });
  return {
    accepted: true,
    vm,
    steps,
    ...(w.reboot ? { ref: w.reboot.ref } : {}),
    text: {
      ru: `Перезагружаю ${vm}: ${steps.map((x) => stepWords[x]?.[0] ?? x).join(", если не поможет — ")}.`,
      en: `Rebooting ${vm}: ${steps.map((x) => stepWords[x]?.[1] ?? x).join(", and if that does not help, ")}.`,
    },
  };
}

function apply(ctx: StepContext, input: WatchdogInput): RebootReply | undefined {
  if (input.type === "tick") return undefined;
  if (input.type === "controller-start") {
    ctx.state.controllerStartedAt = Math.max(input.at, ctx.state.controllerStartedAt ?? input.at);
    return undefined;
  }
  const w = ctx.state.vms[input.vm];
  if (input.type === "reboot-request") return reboot(ctx, input);
  if (!w) return undefined;
  switch (input.type) {
    case "heartbeat": {
      w.lastHeartbeatAt = ctx.now;
      if (input.uptimeS !== undefined || input.bootId === undefined) w.lastUptimeS = input.uptimeS ?? null;
      if (input.bootId !== undefined) {
        w.bootId = input.bootId;
        // The socket closed but the same boot said hello again: the VM did not go down after all.
        if (w.reboot?.stage === "down" && w.reboot.bootId === input.bootId) w.reboot.stage = "accepted";
      }
      for (const r of input.peers ?? []) {
        const target = ctx.state.vms[r.vm];
        if (target && r.vm !== input.vm)
          target.peerReports[input.vm] = { ok: r.ok, misses: r.misses, at: ctx.now };
      }
      if (w.phase === "fencing" && w.plan && heartbeatShowsReturn(w.plan, w, input.uptimeS, ctx.now)) {
        const step = w.plan.steps[w.plan.index];
        audit(ctx, input.vm, "returned", "recovering", [`heartbeat after ${step}`], {
          ref: `fence:${input.vm}:${w.plan.epoch}`,
        });
        w.reasons = [`after ${step}`];
        w.plan = null;
        enter(ctx, w, "recovering");
        rebootStage(ctx, input.vm, w, "back");
      }
      return undefined;
    }
    case "link-closed":
      if (w.reboot?.stage === "accepted" || w.reboot?.stage === "requested")
        rebootStage(ctx, input.vm, w, "down", "its sidecar's socket closed");
      return undefined;
    case "probe-result": {
      const probe = w.probes[input.via];
      if (probe && probe.requestId === input.requestId && probe.answeredAt === null) {
        probe.answeredAt = ctx.now;
        probe.reached = input.reached;
        if (input.detail !== undefined) probe.detail = input.detail.slice(0, 200);
      }
      return undefined;
    }
    case "oracle-state":
      w.oracle = {
        state: input.lifecycleState,
        at: ctx.now,
        ...(input.error ? { error: input.error.message.slice(0, 200) } : {}),
      };
      return undefined;
    case "fence-result":
      onFenceResult(ctx, input.vm, w, input.epoch, input.ok, input.error, input.opcRequestId);
      return undefined;
    case "resume":
      if (w.phase === "gave-up") {
        w.resets = [];
        w.planEnds = [];
        w.nextPlanAt = null;
        audit(ctx, input.vm, "resume", "watchdog resumed", ["a human resumed the watchdog"], {
          actor: input.actor,
        });
        enter(ctx, w, "dead");
      }
      return undefined;
  }
}

/** One step of the watchdog: apply the input, judge every VM, return the new state and effects. */
export function stepWatchdog(
  state: WatchdogState,
  input: WatchdogInput,
  settings: WatchdogSettings,
  at: { now: number; leader: boolean },
): StepOutput<WatchdogState> {
  const next = structuredClone(state);
  const ctx: StepContext = { now: at.now, leader: at.leader, settings, state: next, effects: [] };
  if (next.lastInputAt !== null && at.now - next.lastInputAt > settings.timings.controllerGapMs)
    next.observeFrom = at.now;
  if (next.lastInputAt !== null && at.now - next.lastInputAt > settings.timings.suspectAfterMs)
    next.resumedAt = at.now;
  next.lastInputAt = at.now;
  for (const v of settings.vms) next.vms[v.name] ??= createVmWatch(at.now);
  const reply = apply(ctx, input);
  for (const v of settings.vms) {
    const w = next.vms[v.name];
    if (w) evaluateVm(ctx, v.name, w);
  }
  return { state: next, effects: ctx.effects, ...(reply ? { reply } : {}) };
}
