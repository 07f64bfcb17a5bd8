/** What the operator's desk is given (its ports and settings) and what it offers the HTTPS API. */
import type { Inventory } from "../../protocol/inventory.ts";
import type { LlmAgent } from "../llm/agent.ts";
import type { Understander } from "../understand/understand.ts";
import type { Actor } from "./actors.ts";
import type { Confirmations } from "./confirmations.ts";
import type { Controller } from "./controller.ts";
import type { Desk, Lang, Reply } from "./desk.ts";
import type { ButtonHandler, CodeTextHandler, DeskExtensions } from "./desk-extensions.ts";
import type { PolicyGate } from "./policy.ts";
import type { RebootProgress } from "./reboot-report.ts";
import type { CommandProgress } from "./step-notes.ts";
import type { RebootPort, Submission, SubmitResult } from "./submission.ts";

/** The desk with its structured entry points for the HTTPS API. */
export interface OperatorDesk extends Desk {
  /** The reply a front end shows for a result: the text, and confirmation buttons when one is pending. */
  toReply(result: SubmitResult, lang: Lang): Reply;
  submit(actor: Actor, submission: Submission): Promise<SubmitResult>;
  /** Confirms or cancels a pending request; `lang` is the caller's language for a refusal. */
  confirm(
    actor: Actor,
    id: string,
    cancel?: boolean,
    lang?: Lang,
    progress?: CommandProgress,
  ): Promise<SubmitResult | { kind: "refused"; refusal: string; message: string }>;
  /** The last reboot asked of `vm`, as the operator reads it now (the API's follow-up poll). */
  rebootStatus(vm: string, lang: Lang): Promise<RebootStatus | undefined>;
}

/** A reboot's follow-up as the API shows it. */
export interface RebootStatus {
  readonly vm: string;
  readonly ref: string;
  readonly stage: RebootProgress["stage"];
  /** True once nothing more will happen to this reboot. */
  readonly final: boolean;
  /** True when it did not happen as asked (did not start, did not go down, did not come back). */
  readonly failed: boolean;
  readonly requestedAt: string;
  readonly at: string;
  readonly text: string;
}

/** The desk's ports and settings. */
export interface DeskOptions {
  readonly controller: Controller;
  readonly inventory: Inventory;
  readonly understander: Understander;
  readonly gate: PolicyGate;
  readonly confirmations: Confirmations;
  readonly now: () => number;
  readonly llm?: { readonly agent?: LlmAgent; readonly problems?: readonly string[] };
  readonly reboot?: RebootPort;
  readonly buttons?: Readonly<Record<string, ButtonHandler>>;
  readonly timeoutMs?: number;
  /** Code requests (the understanding layer's `code` intent) go here when set; see edge/code/code-desk.ts. */
  readonly code?: CodeTextHandler;
  /** True for words the code hook takes whatever the understanding layer says ("list what voxops created"). */
  readonly codeClaims?: (text: string) => boolean;
  /** Buttons, reboots and code requests the runtime's plugins provide (used where the options above are unset). */
  readonly extensions?: DeskExtensions;
  /** How long a confirmation stays valid (default CONFIRM_TTL_MS, 60 s). */
  readonly confirmTtlMs?: number;
  /**
   * False when the inventory is only the sidecars' names (no VOXOPS_INVENTORY): then what a VM runs
   * is known only to its sidecar, and requests are not checked against the inventory first.
   */
  readonly inventoryDeclared?: boolean;
  /** How long a rolling reboot follows each VM before giving up on it (default 10 min). */
  readonly rebootWaitMs?: number;
  /** The last reboot asked of a VM, as far as it has got (the watchdog's record); enables the follow-up. */
  readonly rebootProgress?: (vm: string) => Promise<RebootProgress | undefined>;
  /** How long the first answer to a reboot waits for the sidecar to accept or refuse it (default 20 s). */
  readonly rebootAnswerWaitMs?: number;
}
