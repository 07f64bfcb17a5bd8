/** What the desk is asked to run and what became of it: the structured result every front end renders. */
import type { Actor } from "./actors.ts";
import type { CommandOutcome } from "./controller.ts";
import type { Lang } from "./desk.ts";
import type { RebootAnswer } from "./rolling-reboot.ts";

/** Reboots go through the watchdog's executor when there is one; `mode` is what was confirmed. */
export type RebootPort = (request: {
  vm: string;
  actor: Actor;
  reason: string;
  mode?: "soft" | "hard";
  lang?: Lang;
}) => Promise<RebootAnswer>;

/** One VM's part of a finished request. */
export interface VmResult {
  readonly vm: string;
  readonly outcome?: CommandOutcome;
  readonly reboot?: RebootAnswer;
  /** The outcome as the operator reads it (checked against its action's output schema; names the sidecar's version when unreadable). */
  readonly text?: string;
}

/** What became of a request: refused before running, waiting for a confirmation, or done. */
export type SubmitResult =
  | { readonly kind: "invalid"; readonly message: string }
  | { readonly kind: "denied"; readonly message: string; readonly retryAfterMs?: number }
  | { readonly kind: "confirm"; readonly id: string; readonly readBack: string; readonly expiresAt: number }
  | { readonly kind: "done"; readonly results: readonly VmResult[]; readonly text: string };

/** A request to run one action on some VMs. */
export interface Submission {
  readonly action: string;
  readonly args: Record<string, unknown>;
  readonly vms: readonly string[];
  readonly lang: Lang;
  readonly origin?: string;
  /** Ask for a confirmation even where the gate would not (LLM proposals). */
  readonly forceConfirm?: boolean;
  /** Run without a confirmation (API tokens allowed to skip it); the gate still decides. */
  readonly skipConfirm?: boolean;
  readonly onProgress?: (note: string) => void;
  /** A question to put before the gate's own read-back (a code change's summary). */
  readonly readBack?: string;
  /** How long this confirmation stays valid, when not the desk's default (a proposal, a revert). */
  readonly ttlMs?: number;
}
