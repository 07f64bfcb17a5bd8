/** A finding: what the sidecar saw in a service's log, which rule it matched, and the evidence. */
import { randomBytes } from "node:crypto";
import { type ErrorGroup, groupErrors, normaliseMessage } from "../actions/error-groups.ts";
import { foldStacks } from "../actions/stack-traces.ts";
import type { Classification } from "./match.ts";
import { builtInRules, type FactName, type Rule } from "./rules.ts";

/** One finding, as it is recorded, shown by `errors` and carried by every auto-fix event. */
export interface Finding {
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
}

/** Builds a finding from a classified burst of one service's lines. */
export function createFinding(
  where: { vm: string; service: string; unit: string; source: Finding["source"] },
  c: Classification,
  at: number,
  rules: readonly Rule[] = builtInRules,
): Finding {
  const { groups, total } = groupErrors(foldStacks(c.errorLines), 10);
  return {
    id: `f${at.toString(36)}-${randomBytes(3).toString("hex")}`,
    ...where,
    rule: c.rule,
    meaning: rules.find((r) => r.id === c.rule)?.meaning ?? "",
    at,
    facts: c.facts,
    line: c.line.slice(0, 500),
    groups,
    errorLines: total,
    signature: `${where.service}|${c.rule}|${normaliseMessage(c.line)}`,
  };
}
