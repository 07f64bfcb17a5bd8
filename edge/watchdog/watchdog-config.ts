/**
 * Watchdog timings and the reset budget, with the production defaults.
 *
 * Timing budget (production defaults, VM killed at a random moment t0):
 *   - the last heartbeat left at t_last ∈ (t0 − 10 s, t0]; heartbeats every 10 s;
 *   - suspect when the edge has heard nothing for 21 s (two missed heartbeats plus 1 s of jitter:
 *     one lost heartbeat — a 20 s gap — never makes a VM suspect), i.e. at t_last + 21 s ≤ t0 + 21 s;
 *   - at once the edge asks each live peer's sidecar to probe the VM (SWIM's indirect probe; the
 *     sidecar answers within 4 s, e.g. three 1 s attempts on the private network);
 *   - dead when the silence has lasted a further 5 s grace window and the peer could not reach it:
 *     t ≤ t0 + 26 s (+ heartbeat jitter), against a target of 30 s;
 *   - the first reset (Oracle SOFTRESET) is requested in the same step, well inside 35 s.
 * Robustness: a verdict needs 26 s of edge silence (three heartbeats lost in a row) and a failed
 * probe from a peer on an independent path; at 10 % independent loss that is ~10⁻³ × 10⁻³ per
 * heartbeat. A single observer never decides.
 */

/** How fast the watchdog suspects, decides and escalates (milliseconds). */
export interface WatchdogTimings {
  /** Sidecars' heartbeat period. */
  readonly heartbeatIntervalMs: number;
  /** Edge silence after which a VM is suspect. */
  readonly suspectAfterMs: number;
  /** How long a suspicion must last, observers agreeing, before the verdict "dead". */
  readonly graceMs: number;
  /** How long an indirect probe may take before it counts as unanswered. */
  readonly probeTimeoutMs: number;
  /** Re-ask the peer this often while the suspicion lasts. */
  readonly probeRefreshMs: number;
  /** Sidecars' own peer-probe period (the `peers` field of heartbeats), as the spec asks. */
  readonly peerProbeIntervalMs: number;
  /** Misses in a row after which a peer's own report counts as "down". */
  readonly peerSuspectMisses: number;
  /** With no live peer and Oracle saying RUNNING: edge silence needed to presume the VM hung. */
  readonly loneDeadAfterMs: number;
  /** Re-read the instance's lifecycle state this often while it matters. */
  readonly oracleRefreshMs: number;
  /** A suspicion that lasts this long without a verdict is told to the operator. */
  readonly suspectAlertAfterMs: number;
  /** How long each escalation step waits for heartbeats to return. */
  readonly stepTimeoutMs: Readonly<Record<StepName, number>>;
  /** A requested reboot the sidecar accepted but whose VM keeps sending heartbeats from the same boot this long did not happen. */
  readonly rebootGoDownMs: number;
  /** A step whose outcome never came back is sent again (same epoch, same retry token) after this. */
  readonly resendAfterMs: number;
  /** Sends of one step before moving on. */
  readonly maxSendAttempts: number;
  /** Heartbeats must stay steady this long after a fence before the VM counts as recovered. */
  readonly recoveryGraceMs: number;
  /** If the watchdog itself heard nothing for this long, observation windows restart. */
  readonly controllerGapMs: number;
  /** Longest sleep between ticks the host should schedule. */
  readonly maxSleepMs: number;
}

/** The escalation steps, mildest first. */
export type StepName = "restart-sidecar" | "soft-reboot" | "SOFTRESET" | "RESET" | "START";

/** How many resets the watchdog may do on its own. */
export interface ResetBudget {
  /** Resets (soft reboot, SOFTRESET, RESET, START) per VM per window. */
  readonly maxResets: number;
  readonly windowMs: number;
  /** Wait after a fence plan ended without recovery; doubles with each plan in the window. */
  readonly backoffBaseMs: number;
  readonly backoffMaxMs: number;
}

/** Production timings; see the budget at the top of this file. */
export const productionTimings: WatchdogTimings = {
  heartbeatIntervalMs: 10_000,
  suspectAfterMs: 21_000,
  graceMs: 5_000,
  probeTimeoutMs: 4_000,
  probeRefreshMs: 15_000,
  peerProbeIntervalMs: 60_000,
  peerSuspectMisses: 3,
  loneDeadAfterMs: 180_000,
  oracleRefreshMs: 15_000,
  suspectAlertAfterMs: 15_000,
  stepTimeoutMs: {
    "restart-sidecar": 45_000,
    "soft-reboot": 180_000,
    SOFTRESET: 120_000,
    RESET: 240_000,
    START: 240_000,
  },
  rebootGoDownMs: 120_000,
  resendAfterMs: 20_000,
  maxSendAttempts: 4,
  recoveryGraceMs: 60_000,
  controllerGapMs: 60_000,
  maxSleepMs: 30_000,
};

/** At most 3 resets per VM per rolling hour, backoff from 1 minute. */
export const defaultResetBudget: ResetBudget = {
  maxResets: 3,
  windowMs: 3_600_000,
  backoffBaseMs: 60_000,
  backoffMaxMs: 900_000,
};

/** What the watchdog knows of one VM from the inventory. */
export interface WatchedVm {
  readonly name: string;
  readonly autoReset: boolean;
  readonly oci?: { readonly instanceId: string; readonly region?: string | undefined } | undefined;
}

/** Everything the decision logic is configured with. */
export interface WatchdogSettings {
  readonly vms: readonly WatchedVm[];
  readonly timings: WatchdogTimings;
  readonly budget: ResetBudget;
}

/** Settings from the inventory's VMs, with production defaults for what is not given. */
export function createWatchdogSettings(options: {
  vms: readonly WatchedVm[];
  timings?: Partial<WatchdogTimings>;
  budget?: Partial<ResetBudget>;
}): WatchdogSettings {
  return {
    vms: options.vms.map((v) => ({ name: v.name, autoReset: v.autoReset, ...(v.oci ? { oci: v.oci } : {}) })),
    timings: { ...productionTimings, ...options.timings },
    budget: { ...defaultResetBudget, ...options.budget },
  };
}
