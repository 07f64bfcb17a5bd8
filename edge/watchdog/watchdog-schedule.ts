/** When the watchdog next needs to look: the earliest deadline in its state, capped by `maxSleepMs`. */
import { SIDECAR_LONGEST_REDIAL_MS } from "../../protocol/controller-restart.ts";
import { listeningFrom } from "./observers.ts";
import type { WatchdogSettings } from "./watchdog-config.ts";
import type { WatchdogState } from "./watchdog-state.ts";

/** The time of the next tick the host should schedule (a Durable Object alarm, a Node timer). */
export function nextWakeAt(state: WatchdogState, settings: WatchdogSettings, now: number): number {
  const t = settings.timings;
  // VMs held while their sidecars dial a restarted controller back are judged when that window ends.
  const times: number[] =
    state.controllerStartedAt === undefined ? [] : [state.controllerStartedAt + SIDECAR_LONGEST_REDIAL_MS];
  for (const w of Object.values(state.vms)) {
    const heard = listeningFrom(state, w);
    switch (w.phase) {
      case "healthy":
        times.push(heard + t.suspectAfterMs);
        break;
      case "recovering":
        times.push(heard + t.suspectAfterMs, w.since + t.recoveryGraceMs);
        break;
      case "suspect":
        times.push(w.since + t.graceMs, w.since + t.suspectAlertAfterMs, heard + t.loneDeadAfterMs);
        for (const p of Object.values(w.probes))
          times.push(
            p.answeredAt === null
              ? p.requestedAt + t.probeTimeoutMs + 2_001
              : p.answeredAt + t.probeRefreshMs,
          );
        if (w.oracleRequestedAt !== null) times.push(w.oracleRequestedAt + t.oracleRefreshMs);
        break;
      case "dead":
        if (w.nextPlanAt !== null) times.push(w.nextPlanAt);
        break;
      case "fencing": {
        const plan = w.plan;
        const step = plan?.steps[plan.index];
        if (plan && step)
          times.push(
            plan.acceptedAt === null
              ? (plan.sentAt ?? now) + t.resendAfterMs
              : plan.acceptedAt + t.stepTimeoutMs[step],
          );
        break;
      }
      case "gave-up":
        break;
    }
  }
  const future = times.filter((x) => x > now);
  return Math.min(now + t.maxSleepMs, ...future);
}
