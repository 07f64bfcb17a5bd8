/**
 * The auto-fix rules as data: each rule (in rules/) says what a log line looks like, what it means,
 * which planner decides the repair, how the repair is verified and how often it may run.
 */

import type { Rule } from "./rule-kit/rule.ts";
import { builtInRules } from "./rules/index.ts";

export type { FactName } from "./rule-kit/finding.ts";
export type { FactReader, Rule, Runtime, Trigger, VerifySpec } from "./rule-kit/rule.ts";
export { builtInRules } from "./rules/index.ts";

/** The id of the catch-all rule. */
export const UNKNOWN_RULE = "unknown-error";

/** The rule with this id, if there is one. */
export function ruleById(id: string, rules: readonly Rule[] = builtInRules): Rule | undefined {
  return rules.find((r) => r.id === id);
}
