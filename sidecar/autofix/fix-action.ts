/**
 * The `fix` action: diagnose a service (or every service of this VM) and repair it with the known
 * fixes. An automatic repair is this same command: the watcher asks the controller (`fix.request`), the
 * controller's policy gate approves it and dispatches `fix` with the rule, and the engine, told through
 * the fix observers, counts and reports it; a repair started by a human and one started by a log line
 * take the one path, and both are recorded in the findings log.
 */

import type { Adapters } from "../adapters/index.ts";
import { type ActionContext, ActionError, type ActionHandler } from "../services/handler.ts";
import { resolveService, type ServiceTarget, thisVm, unitOf } from "../services/targets.ts";
import { createFinding } from "./finding.ts";
import {
  type LoggedFinding,
  NOT_APPROVED,
  readFindings,
  recordFinding,
  recordOutcome,
} from "./findings-log.ts";
import type { FixObservers } from "./fix-observers.ts";
import type { FixResult } from "./fix-result.ts";
import { classify, looksLikeError } from "./match.ts";
import { planFix } from "./plan-fix.ts";
import type { Finding } from "./rule-kit/finding.ts";
import { commonWords } from "./rule-kit/words.ts";
import { builtInRules } from "./rules.ts";
import { type FixReport, runFix } from "./run-fix.ts";
import { type AutofixSettings, loadSettings } from "./settings.ts";

/** A finding recorded this recently and not yet dealt with is what `fix` repairs. */
const PENDING_MS = 5 * 60_000;
/** How far back `fix` looks in the journal when nothing is pending. */
const LOOKBACK_MS = 15 * 60_000;
/** Error lines this close to the newest one belong to the same failure. */
const BURST_MS = 10_000;

/** What `fix` did for one service (defined beside the observers that receive it). */
export type { FixResult } from "./fix-result.ts";

/** The newest unhandled finding of a service, or a fresh diagnosis from its journal; null when all is well. */
export async function diagnose(
  adapters: Adapters,
  ctx: ActionContext,
  target: ServiceTarget,
  rule?: string,
): Promise<Finding | null> {
  const now = ctx.now();
  const recent = await readFindings(adapters.stateDir, now - LOOKBACK_MS, target.spec.name);
  const pending = recent.find(
    (f) =>
      f.finding.at >= now - PENDING_MS &&
      (f.outcome === null || waitedInVain(f)) &&
      (rule === undefined || f.finding.rule === rule),
  );
  if (pending) return pending.finding;
  // Lines from before the last repair, or before the unit's last start when it is up, are old news;
  // a finding whose repair was never approved is not a repair.
  const handled = Math.max(0, ...recent.filter((f) => !waitedInVain(f)).map((f) => f.outcomeAt ?? 0));
  const status = (await adapters.systemd.status([target.unit]))[0];
  const lines = await adapters.journal.entries({
    units: [target.unit],
    sinceMs: now - LOOKBACK_MS,
    lines: 500,
  });
  const started =
    status?.activeState === "active"
      ? Math.max(
          0,
          ...lines
            .filter((e) => e.identifier === "systemd" && e.message.startsWith("Started "))
            .map((e) => e.at),
        )
      : 0;
  const entries = lines.filter((e) => e.at > Math.max(handled, started, now - LOOKBACK_MS));
  const newest = [...entries].reverse().find((e) => looksLikeError(e));
  if (!newest) return null;
  const burst = entries.filter((e) => e.at >= newest.at - BURST_MS);
  const rules = rule === undefined ? builtInRules : builtInRules.filter((r) => r.id === rule);
  const c = classify(burst, rules);
  if (!c || (rule !== undefined && c.rule !== rule)) return null;
  const finding = createFinding(
    { vm: ctx.vm, service: target.spec.name, unit: target.unit, source: "fix" },
    c,
    now,
  );
  await recordFinding(adapters.stateDir, finding);
  return finding;
}

/** Diagnoses and repairs one service; records the outcome against the finding; tells `fixes` it started. */
async function fixService(
  adapters: Adapters,
  fixes: FixObservers,
  ctx: ActionContext,
  target: ServiceTarget,
  settings: AutofixSettings,
  rule?: string,
): Promise<FixResult> {
  const name = target.spec.name;
  const finding = await diagnose(adapters, ctx, target, rule);
  if (!finding) return { service: name, outcome: "nothing-to-fix", finding: null, plan: null, report: null };
  const plan = await planFix(adapters, ctx, target, finding, settings);
  if (plan.decision === "report") {
    await recordOutcome(adapters.stateDir, finding.id, "reported", plan.reason, ctx.now());
    return { service: name, outcome: "reported", finding, plan, report: null };
  }
  fixes.tell((o) => o.started(finding, plan));
  let report: FixReport;
  try {
    report = await runFix(adapters, ctx, target, finding, plan, settings);
  } catch (e) {
    // runFix reports failed steps as results; this is the unexpected, and the engine must still hear of it.
    const broke = commonWords.repairBroke({ error: e instanceof Error ? e.message : String(e) });
    report = { ok: false, steps: [], reason: broke.en, reasonRu: broke.ru, recurred: null };
  }
  await recordOutcome(
    adapters.stateDir,
    finding.id,
    report.ok ? "repaired" : "failed",
    report.ok ? plan.reason : (report.reason ?? "failed"),
    ctx.now(),
  ).catch(() => {});
  return { service: name, outcome: report.ok ? "repaired" : "failed", finding, plan, report };
}

/** Same as fixService, and tells the fix observers how it ended. */
async function fixAndTell(
  adapters: Adapters,
  fixes: FixObservers,
  ctx: ActionContext,
  target: ServiceTarget,
  settings: AutofixSettings,
  rule?: string,
): Promise<FixResult> {
  let result: FixResult;
  try {
    result = await fixService(adapters, fixes, ctx, target, settings, rule);
  } catch (e) {
    const failed: FixResult = {
      service: target.spec.name,
      outcome: "failed",
      finding: null,
      plan: null,
      report: null,
    };
    fixes.tell((o) => o.finished(failed));
    throw e;
  }
  fixes.tell((o) => o.finished(result));
  return result;
}

/** A finding the engine asked the controller to repair and no approval came for. */
function waitedInVain(f: LoggedFinding): boolean {
  return f.outcome === "skipped" && f.summary === NOT_APPROVED;
}

/**
 * Creates the handler; `fixes` are the sidecar host's observers (its auto-fix engine listens there);
 * settings default to the environment's (VOXOPS_AUTOFIX_FILE and friends).
 */
export function createFix(
  adapters: Adapters,
  fixes: FixObservers,
  settings?: AutofixSettings,
): ActionHandler<"fix"> {
  return async (args, ctx) => {
    const use = settings ?? loadSettings(adapters.env).settings;
    const rule = typeof args["rule"] === "string" ? args["rule"] : undefined;
    if (rule !== undefined && !builtInRules.some((r) => r.id === rule))
      throw new ActionError(
        "unknown-rule",
        `no auto-fix rule "${rule.slice(0, 64)}" (known: ${builtInRules.map((r) => r.id).join(", ")})`,
      );
    const targets =
      args["service"] === undefined
        ? thisVm(ctx).services.map((spec) => ({ spec, unit: unitOf(spec) }))
        : [resolveService(ctx, args["service"])];
    const results: FixResult[] = [];
    for (const target of targets) results.push(await fixAndTell(adapters, fixes, ctx, target, use, rule));
    const failed = results.filter((r) => r.outcome === "failed");
    if (args["service"] !== undefined && failed[0])
      throw new ActionError(
        "fix-failed",
        `${failed[0].service}: the repair did not hold: ${failed[0].report?.reason ?? "unknown reason"}`,
        { details: { ...failed[0] } },
      );
    return { vm: ctx.vm, results, ok: failed.length === 0 };
  };
}
