/**
 * The shape of an auto-fix rule: what a log line looks like (triggers), what it means, how the repair is
 * planned (the rule's own planner, loaded on first use), how it is verified and how often it may run.
 * Nothing here reads instructions from a log line: a trigger is an error signature, and a planner can
 * only choose steps from the closed set in plan.ts.
 */
import type { FactName } from "./finding.ts";
import type { Planner } from "./plan.ts";
import type { WordBook } from "./words.ts";

/** The runtimes whose error messages the triggers know. */
export type Runtime = "node" | "python" | "systemd" | "any";

/** Reads one fact out of a line the trigger matched; undefined when the line does not say. */
export type FactReader = (line: string, match: RegExpExecArray) => string | undefined;

/** One error signature: a pattern for one runtime and how each fact is read from the line. */
export interface Trigger {
  readonly runtime: Runtime;
  readonly pattern: RegExp;
  /** Facts held by capture groups of `pattern`. */
  readonly captures?: Partial<Record<FactName, number>>;
  /** Facts that need more than one capture group to read (a port written in any of several forms). */
  readonly read?: Partial<Record<FactName, FactReader>>;
}

/** How a repair is checked after its steps; the restart step itself waits for active + health. */
export interface VerifySpec {
  /** The trigger must not match any new log line of the unit during the quiet window. */
  readonly errorGone: boolean;
}

/** One rule. */
export interface Rule {
  readonly id: string;
  /** What the error means, for the operator (English; the edge words it for Russian). */
  readonly meaning: string;
  readonly triggers: readonly Trigger[];
  /** Loads the rule's planner; absent for rules that only report. */
  readonly planner?: () => Promise<Planner>;
  /** Loads every sentence the planner can return, in both languages (for tests and translators). */
  readonly words?: () => Promise<WordBook>;
  readonly verify: VerifySpec;
  /** Repairs per service and hour before the rule stops for that service (settings may lower it). */
  readonly maxPerHour: number;
  /** Completes facts from the rest of the burst (a relative path from the file that required it). */
  readonly refine?: (
    facts: Partial<Record<FactName, string>>,
    lines: readonly string[],
  ) => Partial<Record<FactName, string>>;
}
