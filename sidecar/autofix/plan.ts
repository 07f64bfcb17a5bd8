/**
 * Planning a repair: the finding's rule loads its own planner, which checks on the VM (read-only)
 * whether the repair may run and turns the finding into typed steps, or into a report with the
 * evidence and a question or a proposal when it may not.
 */
import type { BackupScope } from "../actions/backup.ts";
import type { ServiceTarget } from "../actions/targets.ts";
import type { Adapters } from "../adapters/index.ts";
import type { Finding } from "./finding.ts";
import { ruleById } from "./rules.ts";
import { type Suggestion, suggestionsFor } from "./suggest.ts";
import { commonWords, type Words } from "./words.ts";

/** One typed repair step. */
export type Step =
  | {
      readonly kind: "install-deps";
      readonly runtime: "node" | "python";
      readonly cwd: string;
      readonly argv: string[];
    }
  | {
      readonly kind: "stop-stale-process";
      readonly pid: number;
      readonly name: string;
      readonly port: number;
    }
  | { readonly kind: "restore-file"; readonly path: string }
  | {
      readonly kind: "reclaim-space";
      readonly journalMaxB: number;
      readonly logFiles: string[];
      readonly rotated: string[];
    }
  | { readonly kind: "restart"; readonly unit: string };

/** What to do about a finding. */
export interface Plan {
  readonly decision: "repair" | "report";
  readonly rule: string;
  readonly steps: Step[];
  /** Why this decision, in words. */
  readonly reason: string;
  /** The same reason in Russian, for an operator who speaks it (the edge picks by language). */
  readonly reasonRu: string;
  /** A question for the operator when only a human may decide (English; `askRu` in Russian). */
  readonly ask?: string;
  readonly askRu?: string;
  /** A change for the LLM layer to propose and the operator to confirm, in both languages. */
  readonly proposal?: { readonly via: "llm"; readonly what: string; readonly whatRu: string };
  /** Who holds the port (port-in-use only). */
  readonly holders?: { pid: number; name: string; stale: boolean; why: string }[];
  readonly suggest: Suggestion[];
}

/** What a rule's planner reads. */
export interface PlanInput {
  readonly adapters: Adapters;
  readonly scope: BackupScope;
  readonly target: ServiceTarget;
  readonly finding: Finding;
  readonly options: { readonly journalMaxB: number };
}

/** What a planner may add to its decision: the holders it found, a question, a change to propose. */
export interface PlanExtra {
  readonly holders?: Plan["holders"];
  readonly ask?: Words;
  readonly proposal?: Words;
}

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

/** How a planner states its decision; `repair` appends the restart that verifies the service. */
export interface PlanTools {
  report(reason: Words, extra?: PlanExtra): Plan;
  repair(steps: Step[], reason: Words, extra?: PlanExtra): Plan;
}

/** A rule's planner: reads the VM, changes nothing. */
export type Planner = (input: PlanInput, tools: PlanTools) => Promise<Plan>;

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
