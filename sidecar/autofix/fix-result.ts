/** What one `fix` run came to; shared by the fix action, its observers and the engine without an import circle. */
import type { Finding } from "./rule-kit/finding.ts";
import type { Plan } from "./rule-kit/plan.ts";
import type { FixReport } from "./run-fix.ts";

/** The outcome of one `fix` run for a service: its finding, plan and report when it got that far. */
export interface FixResult {
  readonly service: string;
  readonly outcome: "nothing-to-fix" | "reported" | "repaired" | "failed";
  readonly finding: Finding | null;
  readonly plan: Plan | null;
  readonly report: FixReport | null;
}
