/** Making a finding from a classified burst of a service's log lines. */
import { randomBytes } from "node:crypto";
import { groupErrors, normaliseMessage } from "../services/error-groups.ts";
import { foldStacks } from "../services/stack-traces.ts";
import type { Classification } from "./match.ts";
import type { Finding } from "./rule-kit/finding.ts";
import { builtInRules, type Rule } from "./rules.ts";

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
