/** Watchdog timings from configuration strings, over the production defaults. */
import { productionTimings, type WatchdogTimings } from "./watchdog-config.ts";

const seconds = (text: string | undefined): number | undefined => {
  if (text === undefined || text.trim() === "") return undefined;
  const n = Number(text);
  return Number.isFinite(n) && n > 0 ? n * 1000 : undefined;
};

/**
 * Reads VOXOPS_HEARTBEAT_S, VOXOPS_PEER_PROBE_S, VOXOPS_PEER_SUSPECT_MISSES and VOXOPS_WATCHDOG_TIMINGS
 * (a JSON object of `WatchdogTimings` fields in ms); what is unreadable is named in `problems`.
 */
export function readWatchdogTimings(
  env: Readonly<Record<string, string | undefined>>,
  problems: string[] = [],
): Partial<WatchdogTimings> {
  const out: Record<string, unknown> = {};
  const hb = seconds(env.VOXOPS_HEARTBEAT_S);
  if (hb !== undefined) {
    out.heartbeatIntervalMs = hb;
    out.suspectAfterMs = 2 * hb + 1_000;
  }
  const probe = seconds(env.VOXOPS_PEER_PROBE_S);
  if (probe !== undefined) out.peerProbeIntervalMs = probe;
  const misses = Number(env.VOXOPS_PEER_SUSPECT_MISSES ?? "");
  if (Number.isInteger(misses) && misses > 0) out.peerSuspectMisses = misses;
  const json = env.VOXOPS_WATCHDOG_TIMINGS;
  if (json !== undefined && json.trim() !== "") {
    try {
      const parsed: unknown = JSON.parse(json);
      if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed))
        throw new Error("not an object");
      for (const [k, v] of Object.entries(parsed))
        if (typeof v === "number" && v >= 0) out[k] = v;
        else if (k === "stepTimeoutMs" && typeof v === "object" && v !== null)
          out[k] = { ...productionTimings.stepTimeoutMs, ...v };
        else problems.push(`VOXOPS_WATCHDOG_TIMINGS.${k} must be a number of milliseconds`);
    } catch (error) {
      problems.push(`VOXOPS_WATCHDOG_TIMINGS is not a JSON object (${(error as Error).message})`);
    }
  }
  return out as Partial<WatchdogTimings>;
}
