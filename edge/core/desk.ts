/**
 * The operator's desk: what every front end (Telegram, the HTTPS text endpoint, the CLI) calls with
 * a human's words or a pressed button, and the reply it renders. Front ends never run actions
 * themselves.
 */
import type { Lang } from "../../protocol/lang.ts";
import type { Actor } from "./actors.ts";

export type { Lang };

/** An inline button: a label for the human, opaque data (at most 64 bytes) for the desk. */
export interface ReplyButton {
  readonly label: string;
  readonly data: string;
}

/** A request waiting for its requester's yes: an action (through the gate) or a proposed code change. */
export interface PendingConfirmation {
  readonly id: string;
  readonly kind: "action" | "code-change";
}

/** What the front end shows: short text in the operator's language, optional buttons. */
export interface Reply {
  readonly text: string;
  readonly lang: Lang;
  readonly buttons?: readonly (readonly ReplyButton[])[];
  /** True when the reply ends a risky request that is now waiting for a confirmation button. */
  readonly pendingConfirmation?: boolean;
  /** The confirmation the reply waits for: every front end confirms by this id, none reads it out of buttons. */
  readonly confirmation?: PendingConfirmation;
  /** A text file sent along with the reply (a long diff). */
  readonly document?: { readonly name: string; readonly text: string };
  /** Set when the request did not succeed: why, so an API answers the right status. */
  readonly outcome?: ReplyOutcome;
}

/**
 * How a request that did not succeed ended: refused by role or policy, invalid arguments, failed on
 * the VM, not understood, the LLM failed, or the LLM it needs is not configured.
 */
export type ReplyOutcome = "denied" | "invalid" | "failed" | "not-understood" | "llm-failed" | "llm-missing";

/** A human's words, typed or transcribed. */
export interface TextRequest {
  readonly actor: Actor;
  readonly text: string;
  readonly lang?: Lang;
  /** Called with short progress notes while long work runs (edit a status message with them). */
  readonly onProgress?: (note: string) => void;
  /** Set when the words are a speech transcript: an uncertain changing action is read back first. */
  readonly spoken?: {
    /** The recogniser's confidence in the transcript, 0..1, when the provider reports one. */
    readonly confidence?: number;
  };
}

/** A pressed button. */
export interface ButtonRequest {
  readonly actor: Actor;
  readonly data: string;
  /** The presser's language when the front end knows it. */
  readonly lang?: Lang;
  /** Called with short progress notes while the confirmed action runs (edit a status message with them). */
  readonly onProgress?: (note: string) => void;
}

/** The desk's two entry points. */
export interface Desk {
  handleText(request: TextRequest): Promise<Reply>;
  handleButton(request: ButtonRequest): Promise<Reply>;
}

/** An alert the controller raises on its own (VM down, service failed, fix applied). */
export interface Alert {
  readonly key: string;
  readonly severity: "info" | "warning" | "critical";
  readonly text: { readonly ru: string; readonly en: string };
  readonly buttons?: readonly (readonly ReplyButton[])[];
}

/** Where alerts go: the Telegram admins' chats, or a log on a run without Telegram. */
export interface Notifier {
  notify(alert: Alert): Promise<void>;
}
