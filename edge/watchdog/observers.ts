/**
 * The three observers of a VM, read from the state: the controller's own heartbeats ("edge"), the
 * peers' probes and reports, and Oracle's lifecycle state. Pure functions of state and time.
 */
import { SIDECAR_LONGEST_REDIAL_MS } from "../../protocol/controller-restart.ts";
import type { WatchdogTimings } from "./watchdog-config.ts";
import type { VmWatch, WatchdogState } from "./watchdog-state.ts";

/**
 * From when the controller's silence about a VM counts: its last heartbeat, but never before the
 * watchdog began observing; and for a VM not heard since the controller's last start, never before
 * that start plus the longest wait its sidecar may take to dial back (that silence is the
 * controller's restart, not the VM's). A VM heard since the start has redialled: its own last
 * heartbeat counts.
 */
export function listeningFrom(state: WatchdogState, vm: VmWatch): number {
  const heard = vm.lastHeartbeatAt ?? Number.NEGATIVE_INFINITY;
  const start = state.controllerStartedAt ?? Number.NEGATIVE_INFINITY;
  return Math.max(heard, state.observeFrom, heard >= start ? heard : start + SIDECAR_LONGEST_REDIAL_MS);
}

/** How long the controller has heard nothing from the VM (negative while its sidecar may still be dialling back). */
export function edgeSilenceMs(state: WatchdogState, vm: VmWatch, now: number): number {
  return now - listeningFrom(state, vm);
}

/**
 * True while the controller, recently started, has not heard the VM yet and its sidecar may still be
 * dialling back: nothing is decided about the VM then (no suspicion, no recovery, no "went down").
 */
export function awaitingRedial(state: WatchdogState, vm: VmWatch, now: number): boolean {
  const start = state.controllerStartedAt;
  return (
    start !== undefined &&
    now < start + SIDECAR_LONGEST_REDIAL_MS &&
    (vm.lastHeartbeatAt ?? Number.NEGATIVE_INFINITY) < start
  );
}

/** True when the controller itself hears the VM. */
export function edgeHears(state: WatchdogState, vm: VmWatch, now: number, t: WatchdogTimings): boolean {
  return edgeSilenceMs(state, vm, now) < t.suspectAfterMs;
}

/** Peers whose word counts: the controller hears them and they are not being fenced themselves. */
export function livePeers(state: WatchdogState, target: string, now: number, t: WatchdogTimings): string[] {
  return Object.entries(state.vms)
    .filter(
      ([name, w]) =>
        name !== target &&
        (w.phase === "healthy" || w.phase === "recovering") &&
        w.lastHeartbeatAt !== null &&
        edgeHears(state, w, now, t),
    )
    .map(([name]) => name);
}

/** The peers' opinion: "up" beats "down" beats "pending"; "none" when no peer can tell. */
export type PeerOpinion = "up" | "down" | "pending" | "none";

/** One peer's evidence during the suspicion that began at `vm.since`. */
export function peerEvidence(
  vm: VmWatch,
  peer: string,
  now: number,
  t: WatchdogTimings,
): "up" | "down" | "pending" | "unavailable" {
  const probe = vm.probes[peer];
  const report = vm.peerReports[peer];
  const reportSaysDown =
    report !== undefined &&
    !report.ok &&
    report.misses >= t.peerSuspectMisses &&
    now - report.at <= 2 * t.heartbeatIntervalMs;
  if (probe && probe.requestedAt >= vm.since) {
    if (probe.answeredAt !== null) {
      if (probe.reached === true) return "up";
      if (probe.reached === false) return "down";
    } else if (now - probe.requestedAt <= t.probeTimeoutMs + 2_000) {
      if (probe.previous?.reached === true) return "up";
      if (probe.previous?.reached === false) return "down";
      return reportSaysDown ? "down" : "pending";
    }
  }
  return reportSaysDown ? "down" : "unavailable";
}

/** Combines the live peers' evidence about a suspect VM. */
export function peerOpinion(
  state: WatchdogState,
  target: string,
  now: number,
  t: WatchdogTimings,
): { opinion: PeerOpinion; peers: string[]; by: Record<string, string> } {
  const vm = state.vms[target];
  const peers = livePeers(state, target, now, t);
  if (!vm || peers.length === 0) return { opinion: "none", peers, by: {} };
  const by = Object.fromEntries(peers.map((p) => [p, peerEvidence(vm, p, now, t)]));
  const seen = new Set(Object.values(by));
  const opinion: PeerOpinion = seen.has("up")
    ? "up"
    : seen.has("down")
      ? "down"
      : seen.has("pending")
        ? "pending"
        : "none";
  return { opinion, peers, by };
}

/** Oracle's lifecycle state if it was read during the current suspicion. */
export function freshOracleState(vm: VmWatch): string | null {
  return vm.oracle !== null && vm.oracle.at >= vm.since ? vm.oracle.state : null;
}

/** Lifecycle states that mean the instance is not running. */
export const downStates: ReadonlySet<string> = new Set(["STOPPED", "STOPPING"]);
/** Lifecycle states that mean there is nothing left to fence. */
export const goneStates: ReadonlySet<string> = new Set(["TERMINATED", "TERMINATING"]);
