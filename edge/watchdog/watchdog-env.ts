/** Watchdog timings from the controller's typed settings, over the production defaults. */
import type { EdgeSettings } from "../../protocol/settings/edge-settings.ts";
import { productionTimings, type WatchdogTimings } from "./watchdog-config.ts";

/** The settings the watchdog's timings come from. */
export type WatchdogTimingSettings = Partial<
  Pick<
    EdgeSettings,
    "VOXOPS_HEARTBEAT_S" | "VOXOPS_PEER_PROBE_S" | "VOXOPS_PEER_SUSPECT_MISSES" | "VOXOPS_WATCHDOG_TIMINGS"
  >
>;

/**
 * Reads VOXOPS_HEARTBEAT_S, VOXOPS_PEER_PROBE_S, VOXOPS_PEER_SUSPECT_MISSES and VOXOPS_WATCHDOG_TIMINGS
 * (a JSON object of `WatchdogTimings` fields in ms); what is unreadable is named in `problems`.
 */
export function readWatchdogTimings(
  settings: WatchdogTimingSettings,
  problems: string[] = [],
): Partial<WatchdogTimings> {
  const out: Record<string, unknown> = {};
  const hb = settings.VOXOPS_HEARTBEAT_S;
  if (hb !== undefined) {
    out.heartbeatIntervalMs = hb * 1000;
    out.suspectAfterMs = 2 * hb * 1000 + 1_000;
  }
  if (settings.VOXOPS_PEER_PROBE_S !== undefined)
    out.peerProbeIntervalMs = settings.VOXOPS_PEER_PROBE_S * 1000;
  if (settings.VOXOPS_PEER_SUSPECT_MISSES !== undefined)
    out.peerSuspectMisses = settings.VOXOPS_PEER_SUSPECT_MISSES;
  const json = settings.VOXOPS_WATCHDOG_TIMINGS;
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
