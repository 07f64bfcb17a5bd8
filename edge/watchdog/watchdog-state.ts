/**
 * The watchdog's serialisable state: plain JSON, so the Durable Object can store it and pick it up
 * after hibernation. One record per VM; times are epoch milliseconds of the controller's clock.
 */
import type { Lang } from "../core/desk.ts";
import type { RebootStage } from "../core/reboot-report.ts";
import type { StepName } from "./watchdog-config.ts";

/** Where a VM stands: healthy → suspect → dead → fencing → recovering → healthy, or gave-up. */
export type Phase = "healthy" | "suspect" | "dead" | "fencing" | "recovering" | "gave-up";

/** Who asked for a fence, as the audit names them. */
export interface FenceActor {
  readonly kind: "watchdog" | "telegram" | "api" | "mcp" | "cli" | "auto";
  readonly id: string;
}

/** Written before any fencing action; the Oracle retry token is derived from it. */
export interface FenceRecord {
  readonly vm: string;
  readonly epoch: number;
  readonly step: StepName;
  readonly at: number;
  readonly reason: string;
  readonly actor: FenceActor;
  readonly instanceId?: string;
}

/** An indirect probe asked of one peer during the current suspicion. */
export interface ProbeState {
  readonly requestId: string;
  readonly requestedAt: number;
  answeredAt: number | null;
  /** true: the peer reached the VM; false: it could not; null: the probe could not be run. */
  reached: boolean | null;
  detail?: string;
  /** The answer before this re-probe, still the evidence while this one is pending. */
  previous?: { readonly reached: boolean | null; readonly at: number };
}

/** A peer's own report on a VM, from the `peers` field of its heartbeat. */
export interface PeerReport {
  readonly ok: boolean;
  readonly misses: number;
  readonly at: number;
}

/** A fence plan: the escalation steps chosen and where it stands. */
export interface FencePlan {
  readonly steps: StepName[];
  index: number;
  readonly manual: boolean;
  readonly actor: FenceActor;
  readonly reason: string;
  readonly startedAt: number;
  /** The VM was silent when the plan began, so any heartbeat after a step means it is back. */
  readonly silentAtStart: boolean;
  epoch: number;
  stepStartedAt: number;
  sentAt: number | null;
  attempts: number;
  acceptedAt: number | null;
}

/** A human's reboot of one VM, from the request to its end (came back, did not go down, …). */
export interface RebootRecord {
  /** The fence reference of its first step (`fence:<vm>:<epoch>`), the id the audit files it under. */
  readonly ref: string;
  readonly actor: FenceActor;
  readonly requestedAt: number;
  /** The boot the VM was in when the reboot was asked (from the sidecar's hello), if known. */
  readonly bootId: string | null;
  stage: RebootStage;
  /** When the stage was entered. */
  at: number;
  /** Why it ended as it did (the sidecar's failure, the heartbeats that continued). */
  why?: string;
  /** The asker's language, for the messages that follow. */
  readonly lang?: Lang;
}

/** Everything the watchdog keeps about one VM. */
export interface VmWatch {
  phase: Phase;
  since: number;
  lastHeartbeatAt: number | null;
  lastUptimeS: number | null;
  /** The boot id from the sidecar's last hello (absent in state saved before boot ids were kept). */
  bootId?: string | null;
  /** The last reboot a human asked for, kept after it ended so a caller can read how it ended. */
  reboot?: RebootRecord | null;
  peerReports: Record<string, PeerReport>;
  probes: Record<string, ProbeState>;
  oracle: { state: string | null; at: number; error?: string } | null;
  oracleRequestedAt: number | null;
  /** When the current episode (first suspicion to recovery) began. */
  episodeStart: number | null;
  /** Alerts already sent in this episode ("suspect", "dead", "partition", …). */
  alerted: string[];
  repairTried: boolean;
  reasons: string[];
  epoch: number;
  plan: FencePlan | null;
  resets: number[];
  planEnds: number[];
  nextPlanAt: number | null;
  episodePlans: number;
}

/** The whole state. */
export interface WatchdogState {
  readonly version: 1;
  lastInputAt: number | null;
  /** Silence is counted from here at the earliest (set when the watchdog starts or wakes from a gap). */
  observeFrom: number;
  /** When the watchdog last heard anything after a silence of its own (a controller restart): silence before it is not the VM's. */
  resumedAt?: number;
  /**
   * When this controller last started without the sidecar sockets it had (a process start, a
   * Durable Object that lost its sockets): silence before it plus a sidecar's longest redial wait is
   * not the VMs'.
   */
  controllerStartedAt?: number;
  vms: Record<string, VmWatch>;
}

/** A fresh record for a VM nobody has judged yet. */
export function createVmWatch(now: number): VmWatch {
  return {
    phase: "healthy",
    since: now,
    lastHeartbeatAt: null,
    lastUptimeS: null,
    peerReports: {},
    probes: {},
    oracle: null,
    oracleRequestedAt: null,
    episodeStart: null,
    alerted: [],
    repairTried: false,
    reasons: [],
    epoch: 0,
    plan: null,
    resets: [],
    planEnds: [],
    nextPlanAt: null,
    episodePlans: 0,
  };
}

/** A fresh state; observation starts at `now`. */
export function createWatchdogState(vms: readonly string[], now: number): WatchdogState {
  return {
    version: 1,
    lastInputAt: null,
    observeFrom: now,
    vms: Object.fromEntries(vms.map((vm) => [vm, createVmWatch(now)])),
  };
}
