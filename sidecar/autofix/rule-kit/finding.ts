/** A finding: what the sidecar saw in a service's log, which rule it matched, and the evidence. */
import type { ErrorGroup } from "../../services/error-groups.ts";

/** Facts a rule's trigger may capture from the line, by name. */
export type FactName = "module" | "port" | "path";

/** One finding, as it is recorded, shown by `errors` and carried by every auto-fix event; a type, not an interface, so it fits the `fix` output's record schema. */
export type Finding = {
  readonly id: string;
  readonly vm: string;
  readonly service: string;
  readonly unit: string;
  readonly rule: string;
  readonly meaning: string;
  readonly at: number;
  readonly facts: Partial<Record<FactName, string>>;
  /** The line that decided the rule, capped. */
  readonly line: string;
  /** The error lines, grouped and counted. */
  readonly groups: ErrorGroup[];
  readonly errorLines: number;
  /** Same rule and same normalised line: repeats of one problem share it. */
  readonly signature: string;
  /** "watch" when the watcher saw it, "fix" when the fix action diagnosed it. */
  readonly source: "watch" | "fix";
};
