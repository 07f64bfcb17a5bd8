/** What the understanding layer makes of a sentence: the contract's intent and args, plus what the desk needs to ask. */
import type { Lang } from "../../protocol/lang.ts";

/** The intents of the evaluation contract. */
export const intents = [
  "status",
  "logs",
  "metrics",
  "errors",
  "restart",
  "fix",
  "config",
  "code",
  "reboot",
  "backup",
  "deploy",
  "files",
  "help",
  "unknown",
] as const;

/** One intent of the contract. */
export type Intent = (typeof intents)[number];

/** Intents that change something on a VM (everything else only reads). */
export const changingIntents: ReadonlySet<Intent> = new Set([
  "restart",
  "fix",
  "config",
  "code",
  "reboot",
  "deploy",
  "backup",
]);

/** A resource figure. */
export type Metric = "memory" | "disk" | "cpu" | "all";

/** The contract's arguments: `vm` is a VM name, "all", or null (the desk must ask). */
export interface UnderstoodArgs {
  vm?: string | null;
  service?: string | null;
  lines?: number;
  metric?: Metric;
  /** For `files`: list a directory, read a file's lines, or search for a text. */
  op?: "list" | "read" | "search";
  /** For `files`: the directory or file under the service's root, as said. */
  path?: string;
  /** For `files` reads: the first and last line asked for. */
  fromLine?: number;
  toLine?: number;
  /** For `files` searches: the text to look for, as said. */
  text?: string;
}

/** Why nothing may run, or why the rules passed the sentence on. */
export type UnknownReason =
  /** The command was negated ("не перезагружай", "don't restart"). */
  | "negated"
  /** A report or someone else's words: "I restarted nginx yesterday", "вася сказал перезапусти". */
  | "report"
  /** The text chains or substitutes shell commands. */
  | "shell"
  /** A hypothetical or a question about a change ("what happens if I reboot?"). */
  | "question"
  /** The words fit more than one changing intent. */
  | "ambiguous"
  /** A changing command with words the rules cannot account for (a second action, a condition, a setting). */
  | "unexplained"
  /** No rule fits: out of scope, free-form or unintelligible. */
  | "no-match";

/** The result of understanding one sentence. */
export interface Understanding {
  readonly intent: Intent;
  readonly args: UnderstoodArgs;
  /** The detected language of the sentence. */
  readonly lang: Lang;
  /** Targets the desk must ask for before anything runs. */
  readonly missing: readonly ("vm" | "service")[];
  /** Choices to offer when a target is ambiguous. */
  readonly candidates: { readonly vm?: readonly string[]; readonly service?: readonly string[] };
  /** Words that looked like a service but name none in the inventory. */
  readonly unknownService?: string;
  /** Words that looked like a VM but name none in the inventory. */
  readonly unknownVm?: string;
  /** Set for `unknown`: why nothing was understood. */
  readonly reason?: UnknownReason;
  /** True when an LLM should take it from here: code and config details, free-form questions. */
  readonly needsLlm: boolean;
  /** For `unexplained`: the changing intents the words point to, the rules' first reading first. */
  readonly competing?: readonly Intent[];
  /** For `unexplained`: the targets heard, as the first reading would fill them (for the question back). */
  readonly heard?: UnderstoodArgs;
  /** True when every word was accounted for by the intent, its targets or known filler (a full match). */
  readonly complete: boolean;
}

/**
 * True when the desk answers with a question instead of acting: a changing intent with a target
 * missing, or a request the rules abstained on (two readings, or words they cannot account for).
 */
export function asksBack(u: Understanding): boolean {
  if (u.intent === "unknown") return u.reason === "unexplained" || u.reason === "ambiguous";
  return changingIntents.has(u.intent) && u.intent !== "code" && u.missing.length > 0;
}
