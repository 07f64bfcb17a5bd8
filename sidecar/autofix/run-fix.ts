/**
 * Carries out a plan and verifies it: the steps in order (stopping at the first that fails), then the
 * unit active and stable with its health URL answering (the restart step), then a quiet window in which
 * the rule's error must not come back in new log lines.
 */

import type { ActionContext } from "../actions/handler.ts";
import { lastLines } from "../actions/restart.ts";
import type { ServiceTarget } from "../actions/targets.ts";
import type { Adapters } from "../adapters/index.ts";
import type { Finding } from "./finding.ts";
import { matchLine } from "./match.ts";
import type { Plan } from "./plan.ts";
import { runStep, type StepResult } from "./repair-steps.ts";
import { builtInRules } from "./rules.ts";

/** What a repair did and whether it held. */
export interface FixReport {
  readonly ok: boolean;
  readonly steps: StepResult[];
  /** Why it failed, in words; null when it held. */
  readonly reason: string | null;
  /** The line that showed the error again during the quiet window. */
  readonly recurred: string | null;
  /** The unit's last lines when the repair did not hold. */
  readonly logs?: string[];
}

/** Each step as the operator reads it in a failure reason. */
const STEP_WORDS: Readonly<Record<Plan["steps"][number]["kind"], string>> = {
  "install-deps": "installing the dependencies",
  "stop-stale-process": "stopping the stale copy",
  "restore-file": "restoring the file from the backup",
  "reclaim-space": "reclaiming disk space",
  restart: "the restart",
};

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
  const fail = async (reason: string, recurred: string | null = null): Promise<FixReport> => ({
    ok: false,
    steps,
    reason,
    recurred,
    logs: await lastLines(adapters, target.unit),
  });
  for (const step of plan.steps) {
    const r = await runStep(adapters, ctx, target, step, options);
    steps.push(r);
    if (!r.ok) {
      const verified = r.detail["verified"] as { reason?: string } | undefined;
      const why =
        verified?.reason ?? (r.detail["error"] as string | undefined) ?? `exit ${String(r.detail["exit"])}`;
      return fail(`${STEP_WORDS[step.kind]} failed: ${why}`);
    }
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
        `the error came back within ${Math.round(options.quietMs / 100) / 10} s`,
        back.message.slice(0, 500),
      );
  }
  const status = (await adapters.systemd.status([target.unit]))[0];
  if (status?.activeState !== "active")
    return fail(
      `the unit is ${status?.activeState ?? "unknown"}/${status?.subState ?? "?"} after the quiet window`,
    );
  return { ok: true, steps, reason: null, recurred: null };
}
