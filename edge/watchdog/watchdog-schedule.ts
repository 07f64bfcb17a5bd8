/** When the watchdog next needs to look: the earliest deadline in its state, capped by `maxSleepMs`. */
import type { WatchdogSettings } from "./watchdog-config.ts";
import type { WatchdogState } from "./watchdog-state.ts";

/** The time of the next tick the host should schedule (a Durable Object alarm, a Node timer). */
export function nextWakeAt(state: WatchdogState, settings: WatchdogSettings, now: number): number {
  const t = settings.timings;
  const times: number[] = [];
  for (const w of Object.values(state.vms)) {
    const heard = Math.max(w.lastHeartbeatAt ?? Number.NEGATIVE_INFINITY, state.observeFrom);
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
