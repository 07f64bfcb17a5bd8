/**
 * Planning a repair: the finding's rule loads its own planner, which checks on the VM (read-only)
 * whether the repair may run and turns the finding into typed steps, or into a report with the
 * evidence and a question or a proposal when it may not.
 */
import type { Adapters } from "../adapters/index.ts";
import type { BackupScope } from "../services/backup.ts";
import type { ServiceTarget } from "../services/targets.ts";
import type { Finding } from "./rule-kit/finding.ts";
import type { Plan, PlanExtra, PlanTools, Step } from "./rule-kit/plan.ts";
import { suggestionsFor } from "./rule-kit/suggest.ts";
import { commonWords, type Words } from "./rule-kit/words.ts";
import { ruleById } from "./rules.ts";

/** A decision's words and extras as the plan carries them (English and Russian side by side). */
function said(reason: Words, extra: PlanExtra): Partial<Plan> & Pick<Plan, "reason" | "reasonRu"> {
  return {
    reason: reason.en,
    reasonRu: reason.ru,
    ...(extra.ask ? { ask: extra.ask.en, askRu: extra.ask.ru } : {}),
    ...(extra.proposal
      ? { proposal: { via: "llm", what: extra.proposal.en, whatRu: extra.proposal.ru } }
      : {}),
    ...(extra.holders ? { holders: extra.holders } : {}),
  };
}

/** Plans the repair of a finding for `target` with its rule's planner; reads the VM, changes nothing. */
export async function planFix(
  adapters: Adapters,
  scope: BackupScope,
  target: ServiceTarget,
  finding: Finding,
  options: { journalMaxB: number },
): Promise<Plan> {
  const suggest = suggestionsFor(target.spec.name);
  const restart: Step = { kind: "restart", unit: target.unit };
  const tools: PlanTools = {
    report: (reason, extra = {}) => ({
      decision: "report",
      rule: finding.rule,
      steps: [],
      ...said(reason, extra),
      suggest,
    }),
    repair: (steps, reason, extra = {}) => ({
      decision: "repair",
      rule: finding.rule,
      steps: [...steps, restart],
      ...said(reason, extra),
      suggest,
    }),
  };
  const rule = ruleById(finding.rule);
  if (!rule?.planner) return tools.report(commonWords.noRepair());
  const planner = await rule.planner();
  return planner({ adapters, scope, target, finding, options }, tools);
}
