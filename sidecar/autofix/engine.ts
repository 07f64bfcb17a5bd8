/**
 * The auto-fix engine: takes a finding, plans (read-only), decides under the mode, the rule switches and
 * the limits, runs the repair through the `fix` action handler, and tells the controller what happened
 * with one event per finding, plus `autofix.paused` once when a service's auto-repair stops.
 */
import type { Inventory } from "../../edge/protocol/inventory.ts";
import type { FixResult } from "../actions/fix.ts";
import { type ActionContext, ActionError, type ActionHandler } from "../actions/handler.ts";
import { resolveService } from "../actions/targets.ts";
import type { Adapters } from "../adapters/index.ts";
import type { Finding } from "./finding.ts";
import { type Outcome, recordFinding, recordOutcome } from "./findings-log.ts";
import { createLimits } from "./limits.ts";
import type { Plan } from "./plan.ts";
import { type AutofixSettings, ruleEnabled } from "./settings.ts";
import { suggestionsFor } from "./suggest.ts";

/** Sends an event to the controller (the sidecar's `emit`). */
export type Emit = (kind: string, data: Record<string, unknown>) => void;

/** What the engine needs. */
export interface EngineOptions {
  readonly adapters: Adapters;
  readonly vm: string;
  readonly inventory: Inventory;
  readonly settings: AutofixSettings;
  readonly emit: Emit;
  /** The `fix` action handler (loaded when first needed). */
  readonly fix: () => Promise<ActionHandler>;
  readonly now?: () => number;
  /** Problems of the engine itself (not of services), for the sidecar's log. */
  readonly onProblem?: (message: string, detail: Record<string, unknown>) => void;
}

/** A running engine. */
export interface Engine {
  /** Deals with one finding; resolves when the repair (if any) is done. */
  handle(finding: Finding): Promise<void>;
  /** True while a repair of the service runs. */
  busy(service: string): boolean;
  /** When the service's last repair ended (lines before it are old news). */
  quietSince(service: string): number;
  /** Resolves when no repair runs and none is waiting for its backoff. */
  idle(): Promise<void>;
  stop(): void;
}

function planForEvent(plan: Plan): Record<string, unknown> {
  return {
    decision: plan.decision,
    reason: plan.reason,
    steps: plan.steps,
    ...(plan.ask ? { ask: plan.ask } : {}),
    ...(plan.proposal ? { proposal: plan.proposal } : {}),
    ...(plan.holders ? { holders: plan.holders } : {}),
  };
}

/** Creates the engine. */
export function createEngine(options: EngineOptions): Engine {
  const { adapters, settings } = options;
  const now = options.now ?? (() => Date.now());
  const limits = createLimits({ ...settings, now });
  const running = new Map<string, Promise<void>>();
  const ended = new Map<string, number>();
  const deferred = new Map<string, { timer: NodeJS.Timeout; done: Promise<void>; resolve: () => void }>();
  const lastSent = new Map<string, number>();
  const abort = new AbortController();
  const problem = (message: string, e: unknown) =>
    options.onProblem?.(message, { error: e instanceof Error ? e.message : String(e) });

  const outcome = (f: Finding, o: Outcome, summary: string) =>
    recordOutcome(adapters.stateDir, f.id, o, summary, now()).catch((e: unknown) =>
      problem("findings log", e),
    );
  /** Sends a report-like event unless the same finding was sent within the dedupe window. */
  const sendOnce = (kind: string, f: Finding, data: Record<string, unknown>) => {
    const key = `${kind}|${f.signature}`;
    const last = lastSent.get(key);
    if (last !== undefined && now() - last < settings.dedupeMs) return;
    lastSent.set(key, now());
    options.emit(kind, { finding: f, ...data });
  };
  const ctxFor = (): ActionContext => ({
    vm: options.vm,
    inventory: options.inventory,
    deadline: now() + settings.installTimeoutMs + 5 * 60_000,
    signal: abort.signal,
    now,
  });

  async function repair(f: Finding, plan: Plan): Promise<void> {
    limits.started(f.service, f.rule);
    let result: FixResult | null = null;
    let error: string | null = null;
    try {
      const fix = await options.fix();
      const out = (await fix({ service: f.service, rule: f.rule }, ctxFor())) as { results?: FixResult[] };
      result = out.results?.[0] ?? null;
    } catch (e) {
      if (e instanceof ActionError && e.code === "fix-failed" && e.details)
        result = e.details as unknown as FixResult;
      else error = e instanceof Error ? e.message : String(e);
    }
    const shown = result?.finding ?? f;
    if (result?.outcome === "repaired") {
      limits.finished(f.service, true);
      options.emit("fix.applied", {
        finding: shown,
        plan: planForEvent(result.plan ?? plan),
        steps: result.report?.steps ?? [],
      });
      return;
    }
    if (result?.outcome === "reported" || result?.outcome === "nothing-to-fix") {
      if (result.plan)
        sendOnce("finding", shown, { plan: planForEvent(result.plan), suggest: result.plan.suggest });
      return;
    }
    options.emit("fix.failed", {
      finding: shown,
      plan: planForEvent(result?.plan ?? plan),
      steps: result?.report?.steps ?? [],
      reason: result?.report?.reason ?? error ?? "the repair failed",
      recurred: result?.report?.recurred ?? null,
      logs: result?.report?.logs ?? [],
      suggest: suggestionsFor(f.service),
    });
    if (error) await outcome(f, "failed", error);
    if (limits.finished(f.service, false))
      options.emit("autofix.paused", {
        finding: shown,
        service: f.service,
        rule: f.rule,
        reason: "breaker",
        failures: settings.breakerFailures,
        until: now() + settings.breakerCooldownMs,
        message: `auto-repair of ${f.service} is stopped after ${settings.breakerFailures} failed repairs in a row; a human must look`,
      });
  }

  async function handle(f: Finding): Promise<void> {
    if (abort.signal.aborted || running.has(f.service)) return;
    let target: ReturnType<typeof resolveService>;
    try {
      target = resolveService(ctxFor(), f.service);
    } catch (e) {
      return problem(`finding for an unknown service ${f.service}`, e);
    }
    await recordFinding(adapters.stateDir, f).catch((e: unknown) => problem("findings log", e));
    let plan: Plan;
    try {
      // The planner (and what it reads: backup layout, /proc, manifests) loads with the first finding.
      const { planFix } = await import("./plan.ts");
      plan = await planFix(adapters, { vm: options.vm, inventory: options.inventory }, target, f, settings);
    } catch (e) {
      plan = {
        decision: "report",
        rule: f.rule,
        steps: [],
        reason: `cannot plan: ${(e as Error).message}`,
        suggest: suggestionsFor(f.service),
      };
    }
    if (plan.decision === "report") {
      await outcome(f, "reported", plan.reason);
      return sendOnce("finding", f, { plan: planForEvent(plan), suggest: plan.suggest });
    }
    const off = settings.mode === "off" ? "autofix-off" : !ruleEnabled(settings, f.rule) ? "rule-off" : null;
    if (off || settings.mode === "dry-run") {
      const reason = off ?? "dry-run";
      await outcome(f, "skipped", reason);
      return sendOnce("fix.skipped", f, { reason, plan: planForEvent(plan), suggest: plan.suggest });
    }
    const gate = limits.check(f.service, f.rule);
    if (gate.kind === "paused" || gate.kind === "limited") {
      await outcome(f, "paused", gate.kind);
      if (gate.notify)
        options.emit("autofix.paused", {
          finding: f,
          service: f.service,
          rule: f.rule,
          reason: gate.kind === "paused" ? "breaker" : "limit",
          failures: gate.failures,
          repairs: gate.repairs,
          until: gate.until,
          message:
            gate.kind === "paused"
              ? `auto-repair of ${f.service} is stopped after repeated failures; a human must look`
              : `${f.rule} was repaired ${gate.repairs} times within the hour on ${f.service}; auto-repair waits until ${new Date(gate.until).toISOString()}`,
        });
      return;
    }
    if (gate.kind === "backoff") {
      await outcome(f, "skipped", `backoff until ${new Date(gate.until).toISOString()}`);
      const key = `${f.service}|${f.rule}`;
      const old = deferred.get(key);
      if (old) {
        clearTimeout(old.timer);
        old.resolve();
      }
      let resolve = (): void => {};
      const done = new Promise<void>((r) => {
        resolve = r;
      });
      const timer = setTimeout(
        () => {
          deferred.delete(key);
          void handle(f).finally(resolve);
        },
        Math.max(0, gate.until - now()),
      );
      deferred.set(key, { timer, done, resolve });
      return;
    }
    const job = repair(f, plan).finally(() => {
      running.delete(f.service);
      ended.set(f.service, now());
    });
    running.set(f.service, job);
    await job;
  }

  return {
    handle,
    busy: (service) => running.has(service),
    quietSince: (service) => ended.get(service) ?? 0,
    async idle() {
      while (running.size > 0 || deferred.size > 0)
        await Promise.all([...running.values(), ...[...deferred.values()].map((d) => d.done)]);
    },
    stop() {
      abort.abort();
      for (const d of deferred.values()) {
        clearTimeout(d.timer);
        d.resolve();
      }
      deferred.clear();
    },
  };
}
