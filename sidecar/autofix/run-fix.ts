/**
 * Carries out a plan and verifies it: the steps in order (stopping at the first that fails), then the
 * unit active and stable with its health URL answering (the restart step), then a quiet window in which
 * the rule's error must not come back in new log lines.
 */

import type { Adapters } from "../adapters/index.ts";
import type { ActionContext } from "../services/handler.ts";
import { lastLines } from "../services/restart.ts";
import type { ServiceTarget } from "../services/targets.ts";
import { matchLine } from "./match.ts";
import { runStep, type StepResult } from "./repair-steps.ts";
import type { Finding } from "./rule-kit/finding.ts";
import type { Plan } from "./rule-kit/plan.ts";
import { stepWords, verifyWords, type Words } from "./rule-kit/words.ts";
import { builtInRules } from "./rules.ts";

/** What a repair did and whether it held; a type, not an interface, so it fits the `fix` output's record schema. */
export type FixReport = {
  readonly ok: boolean;
  readonly steps: StepResult[];
  /** Why it failed, in words (English; `reasonRu` in Russian); null when it held. */
  readonly reason: string | null;
  readonly reasonRu?: string | null;
  /** The line that showed the error again during the quiet window. */
  readonly recurred: string | null;
  /** The unit's last lines when the repair did not hold. */
  readonly logs?: string[];
};

/** Why a step failed, from what it recorded: the restart's verification, an error, or an exit code. */
function stepFailure(kind: Plan["steps"][number]["kind"], detail: Record<string, unknown>): Words {
  const step = stepWords[kind]();
  const verified = detail["verified"] as
    | { state?: string; health?: { ok?: boolean; status?: number | null } | null }
    | undefined;
  if (kind === "restart" && verified) {
    const h = verified.health;
    const health = !h || h.ok ? "" : h.status ? String(h.status) : "silent";
    return verifyWords.restartUnhealthy({ state: verified.state ?? "unknown", health });
  }
  const error = detail["error"];
  if (typeof error === "string" && error !== "") return verifyWords.stepFailed({ step, why: error });
  return verifyWords.stepExit({ step, exit: String(detail["exit"] ?? "?") });
}

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((r) => {
    const t = setTimeout(r, ms);
    signal?.addEventListener("abort", () => {
      clearTimeout(t);
      r();
    });
  });

/** Runs the plan's steps and verifies the result; never throws for a failed step. */
export async function runFix(
  adapters: Adapters,
  ctx: ActionContext,
  target: ServiceTarget,
  finding: Finding,
  plan: Plan,
  options: { installTimeoutMs: number; quietMs: number },
): Promise<FixReport> {
  const steps: StepResult[] = [];
  const fail = async (reason: Words, recurred: string | null = null): Promise<FixReport> => ({
    ok: false,
    steps,
    reason: reason.en,
    reasonRu: reason.ru,
    recurred,
    logs: await lastLines(adapters, target.unit),
  });
  for (const step of plan.steps) {
    const r = await runStep(adapters, ctx, target, step, options);
    steps.push(r);
    if (!r.ok) return fail(stepFailure(step.kind, r.detail));
  }
  const restartedAt = steps.find((s) => s.kind === "restart")?.at ?? Date.now();
  const rules = builtInRules.filter((r) => r.id === finding.rule);
  if (rules.some((r) => r.verify.errorGone)) {
    await sleep(options.quietMs, ctx.signal);
    const fresh = await adapters.journal
      .entries({ units: [target.unit], sinceMs: restartedAt - 1000, lines: 2000 })
      .catch(() => []);
    const back = fresh.find((e) => e.at >= restartedAt && matchLine(e.message, rules) !== null);
    if (back)
      return fail(
        verifyWords.errorBack({ seconds: Math.round(options.quietMs / 100) / 10 }),
        back.message.slice(0, 500),
      );
  }
  const status = (await adapters.systemd.status([target.unit]))[0];
  if (status?.activeState !== "active")
    return fail(
      verifyWords.notActive({ state: `${status?.activeState ?? "unknown"}/${status?.subState ?? "?"}` }),
    );
  return { ok: true, steps, reason: null, reasonRu: null, recurred: null };
}
