/** What goes into the watchdog's step function (inputs) and what comes out (effects). */

import type { AuditEntry } from "../core/audit.ts";
import type { Alert } from "../core/desk.ts";
import type { InstanceAction } from "../oracle/instance-client.ts";
import type { FenceActor, FenceRecord, RebootRecord } from "./watchdog-state.ts";

/** A failure reported back by the executor. */
export interface EffectFailure {
  readonly code: string;
  readonly message: string;
  readonly retryable: boolean;
  readonly hint?: string;
}

/** Something the watchdog observes or is asked. */
export type WatchdogInput =
  | { readonly type: "tick" }
  /** This controller (re)started at `at`; its sidecars are still dialling back. */
  | { readonly type: "controller-start"; readonly at: number }
  | {
      readonly type: "heartbeat";
      readonly vm: string;
      readonly uptimeS?: number;
      /** From a hello: the boot the sidecar runs in. */
      readonly bootId?: string;
      readonly peers?: readonly { vm: string; ok: boolean; misses: number }[];
    }
  | {
      readonly type: "probe-result";
      readonly vm: string;
      readonly via: string;
      readonly requestId: string;
      readonly reached: boolean | null;
      readonly detail?: string;
    }
  | {
      readonly type: "oracle-state";
      readonly vm: string;
      readonly lifecycleState: string | null;
      readonly error?: EffectFailure;
    }
  | {
      readonly type: "fence-result";
      readonly vm: string;
      readonly epoch: number;
      readonly ok: boolean;
      readonly error?: EffectFailure;
      readonly opcRequestId?: string;
    }
  | {
      readonly type: "reboot-request";
      readonly vm: string;
      readonly mode: "soft" | "hard";
      readonly reason: string;
      readonly actor: FenceActor;
      /** The asker's language, for the reboot's later messages. */
      readonly lang?: "ru" | "en";
    }
  | { readonly type: "resume"; readonly vm: string; readonly actor: FenceActor }
  /** The VM's socket to this controller closed. */
  | { readonly type: "link-closed"; readonly vm: string };

/** How a fence step acts on the VM. */
export type FenceOperation =
  | {
      readonly type: "oracle";
      readonly action: InstanceAction;
      readonly instanceId: string;
      readonly region?: string;
    }
  | {
      readonly type: "sidecar";
      readonly action: "restart-sidecar" | "reboot";
      readonly args: Record<string, unknown>;
      /** Relay through this peer's sidecar when the VM's own link to the controller is gone. */
      readonly via?: string;
    };

/** Something the executor must do. */
export type WatchdogEffect =
  | {
      readonly kind: "probe";
      readonly vm: string;
      readonly via: string;
      readonly requestId: string;
      readonly timeoutMs: number;
    }
  | {
      readonly kind: "oracle-get";
      readonly vm: string;
      readonly instanceId: string;
      readonly region?: string;
    }
  | { readonly kind: "fence"; readonly record: FenceRecord; readonly operation: FenceOperation }
  | { readonly kind: "alert"; readonly alert: Alert }
  /** A human's reboot reached a new stage: tell whoever asked. */
  | { readonly kind: "reboot-stage"; readonly vm: string; readonly record: RebootRecord }
  | { readonly kind: "audit"; readonly entry: AuditEntry };

/** The answer to a reboot request. */
export interface RebootReply {
  readonly accepted: boolean;
  readonly vm: string;
  readonly text: { readonly ru: string; readonly en: string };
  readonly steps?: readonly string[];
  /** The reboot's reference (`fence:<vm>:<epoch>`), under which its follow-up and audit run. */
  readonly ref?: string;
}

/** What one step of the state machine yields. */
export interface StepOutput<S> {
  readonly state: S;
  readonly effects: WatchdogEffect[];
  readonly reply?: RebootReply;
}
