/** The ports the watchdog acts through; the hosts (Durable Object, Node) provide them. */
import type { AuditEntry } from "../core/audit.ts";
import type { Clock } from "../core/clock.ts";
import type { Notifier } from "../core/desk.ts";
import type { LeasePort } from "../lease/lease-port.ts";
import type { InstanceClient } from "../oracle/instance-client.ts";
import type { EffectFailure } from "./watchdog-messages.ts";
import type { RebootRecord } from "./watchdog-state.ts";
import type { WatchdogStore } from "./watchdog-store.ts";

/** Commands to sidecars, as the controller's dispatcher runs them. */
export interface SidecarPort {
  /**
   * Asks `via`'s sidecar to probe `vm` now (the `probe` action). `reached` is true when the peer
   * reached the VM's sidecar, false when it could not, null when the probe could not be run.
   */
  probe(request: {
    via: string;
    vm: string;
    timeoutMs: number;
  }): Promise<{ reached: boolean | null; detail?: string }>;
  /** Runs `restart-sidecar` or `reboot` on `vm`, relayed through `via`'s sidecar when given. */
  command(request: {
    vm: string;
    action: "restart-sidecar" | "reboot";
    args: Record<string, unknown>;
    via?: string;
    timeoutMs: number;
  }): Promise<{ ok: boolean; error?: EffectFailure }>;
}

export type { LeasePort };

/** Where the watchdog's audit records go (the controller's audit log). */
export interface AuditPort {
  append(entry: AuditEntry): void;
}

/** Everything the watchdog needs from its host. */
export interface WatchdogPorts {
  readonly clock: Clock;
  readonly lease: LeasePort;
  readonly store: WatchdogStore;
  readonly sidecars: SidecarPort;
  /** Absent when no OCI_* config is set: Oracle steps then fail with "no-oracle". */
  readonly oracle?: InstanceClient | undefined;
  readonly notifier: Notifier;
  readonly audit: AuditPort;
  /** Told each new stage of a human's reboot, to pass on to whoever asked. */
  readonly reboots?: { onStage(vm: string, record: RebootRecord): void | Promise<void> } | undefined;
  /** Told about failures of ports that have no other way to report (a notifier that threw). */
  readonly onError?: (error: unknown, context: string) => void;
}
