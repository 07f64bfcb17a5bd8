/**
 * What a rule's planner works with: the finding and the VM it reads, and the plan it returns, typed
 * steps to repair or a report with the evidence and a question or a proposal.
 */

import type { Adapters } from "../../adapters/index.ts";
import type { BackupScope } from "../../services/backup.ts";
import type { ServiceTarget } from "../../services/targets.ts";
import type { Finding } from "./finding.ts";
import type { Suggestion } from "./suggest.ts";
import type { Words } from "./words.ts";

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

/** What to do about a finding; a type, not an interface, so it fits the `fix` output's record schema. */
export type Plan = {
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
};

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

/** How a planner states its decision; `repair` appends the restart that verifies the service. */
export interface PlanTools {
  report(reason: Words, extra?: PlanExtra): Plan;
  repair(steps: Step[], reason: Words, extra?: PlanExtra): Plan;
}

/** A rule's planner: reads the VM, changes nothing. */
export type Planner = (input: PlanInput, tools: PlanTools) => Promise<Plan>;
