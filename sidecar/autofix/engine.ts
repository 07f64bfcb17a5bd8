/**
 * The auto-fix engine: takes a finding, plans (read-only), decides under the mode, the rule switches and
 * the limits, and asks the controller for the repair (`fix.request`). The repair runs only when the
 * controller, after its policy gate, dispatches `fix` back: the fix handler tells the engine (through
 * the fix observers), the limits count it once, and the engine reports it with one event per finding
 * (`fix.applied`, `fix.failed`), `fix.skipped` "not-approved" when no approval came in time, and
 * `autofix.paused` once when a service's auto-repair stops.
 */
import type { Inventory } from "../../protocol/inventory.ts";
import type { Adapters } from "../adapters/index.ts";
import type { ActionContext } from "../services/handler.ts";
import { resolveService } from "../services/targets.ts";
import { NOT_APPROVED, type Outcome, recordFinding, recordOutcome } from "./findings-log.ts";
import type { FixObservers } from "./fix-observers.ts";
import type { FixResult } from "./fix-result.ts";
import { createLimits } from "./limits.ts";
import type { Finding } from "./rule-kit/finding.ts";
import type { Plan } from "./rule-kit/plan.ts";
import { suggestionsFor } from "./rule-kit/suggest.ts";
import { commonWords, type Words } from "./rule-kit/words.ts";
import { ruleById } from "./rules.ts";
import { type AutofixSettings, ruleEnabled } from "./settings.ts";

/** Sends an event to the controller (the sidecar's `emit`). */
export type Emit = (kind: string, data: Record<string, unknown>) => void;

/** What the engine needs. */
export interface EngineOptions {
  readonly adapters: Adapters;
  readonly vm: string;
  readonly inventory: Inventory;
  readonly settings: AutofixSettings;
  readonly emit: Emit;
  /** The sidecar host's observers of the `fix` action: repairs it runs are counted and reported here. */
  readonly fixes: FixObservers;
  readonly now?: () => number;
  /** Problems of the engine itself (not of services), for the sidecar's log. */
  readonly onProblem?: (message: string, detail: Record<string, unknown>) => void;
}

/** A running engine. */
export interface Engine {
  /** Deals with one finding; resolves when its repair is done or its request went unanswered. */
  handle(finding: Finding): Promise<void>;
  /** True while a repair of the service is requested or runs. */
  busy(service: string): boolean;
  /** When the service's last repair (or unanswered request) ended: lines before it are old news. */
  quietSince(service: string): number;
  /** Resolves when no repair runs or waits for approval, and none is waiting for its backoff. */
  idle(): Promise<void>;
  stop(): void;
}

function planForEvent(plan: Plan): Record<string, unknown> {
  return {
    decision: plan.decision,
    reason: plan.reason,
    reasonRu: plan.reasonRu,
    steps: plan.steps,
    ...(plan.ask ? { ask: plan.ask } : {}),
    ...(plan.askRu ? { askRu: plan.askRu } : {}),
    ...(plan.proposal ? { proposal: plan.proposal } : {}),
    ...(plan.holders ? { holders: plan.holders } : {}),
  };
}

/** A message for the operator, in both languages. */
const messageOf = (w: Words) => ({ message: w.en, messageRu: w.ru });

/** The fields every auto-fix event carries beside the finding, so the controller can audit it. */
const about = (f: Finding) => ({ service: f.service, rule: f.rule, findingId: f.id });

/** A repair the engine asked for: waiting for the controller's `fix`, or running it. */
interface Job {
  readonly finding: Finding;
  readonly plan: Plan;
  state: "waiting" | "repairing";
  timer: NodeJS.Timeout | undefined;
  readonly done: () => void;
}

/** Creates the engine. */
export function createEngine(options: EngineOptions): Engine {
  const { adapters, settings } = options;
  const now = options.now ?? (() => Date.now());
  const limits = createLimits({
    ...settings,
    now,
    ruleCap: (rule) => ruleById(rule)?.maxPerHour ?? Number.POSITIVE_INFINITY,
  });
  const jobs = new Map<string, Job>();
  const handling = new Set<string>();
  const running = new Map<string, Promise<void>>();
  const ended = new Map<string, number>();
  const deferred = new Map<string, { timer: NodeJS.Timeout; done: Promise<void>; resolve: () => void }>();
  const lastSent = new Map<string, number>();
  /** Requests that went unanswered, by finding id: a late approval still counts as this finding's repair. */
  const unanswered = new Map<string, { job: Job; at: number }>();
  /** Until when a problem (by signature) is not asked about again after a request went unanswered. */
  const refusedUntil = new Map<string, number>();
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
    options.emit(kind, { finding: f, ...about(f), ...data });
  };
  const ctxFor = (): ActionContext => ({
    vm: options.vm,
    inventory: options.inventory,
    deadline: now() + 60_000,
    signal: abort.signal,
    now,
  });

  /** Starts tracking a job: the service is busy until `done` is called. */
  function track(f: Finding, plan: Plan, state: Job["state"]): Job {
    let done = (): void => {};
    const finished = new Promise<void>((resolve) => {
      done = resolve;
    });
    const job: Job = { finding: f, plan, state, timer: undefined, done: () => done() };
    jobs.set(f.service, job);
    running.set(
      f.service,
      finished.finally(() => {
        if (jobs.get(f.service) === job) jobs.delete(f.service);
        running.delete(f.service);
        ended.set(f.service, now());
      }),
    );
    return job;
  }

  /** No `fix` came in time: the controller refused or nobody approved; said once, not asked again soon. */
  function notApproved(job: Job): void {
    if (job.state !== "waiting" || jobs.get(job.finding.service) !== job) return;
    const f = job.finding;
    for (const [id, u] of unanswered) if (now() - u.at > settings.dedupeMs) unanswered.delete(id);
    unanswered.set(f.id, { job, at: now() });
    refusedUntil.set(f.signature, now() + settings.dedupeMs);
    void outcome(f, "skipped", NOT_APPROVED);
    options.emit("fix.skipped", {
      finding: f,
      ...about(f),
      reason: NOT_APPROVED,
      plan: planForEvent(job.plan),
      suggest: job.plan.suggest,
      ...messageOf(
        commonWords.notApproved({
          service: f.service,
          seconds: Math.round(settings.approvalMs / 1000),
        }),
      ),
    });
    job.done();
  }

  /** The fix handler began a repair: the engine's own request when the finding is one it asked about. */
  function onStarted(f: Finding): void {
    const job = jobs.get(f.service);
    if (job?.state === "waiting" && job.finding.id === f.id) {
      clearTimeout(job.timer);
      job.state = "repairing";
    } else {
      const late = unanswered.get(f.id);
      if (!late || jobs.has(f.service)) return;
      unanswered.delete(f.id);
      track(late.job.finding, late.job.plan, "repairing");
    }
    limits.started(f.service, f.rule);
  }

  /** The fix handler is done with a service: report the engine's repair, or note a human's. */
  function onFinished(result: FixResult): void {
    const job = jobs.get(result.service);
    const mine =
      job?.state === "repairing" && (result.finding === null || result.finding.id === job.finding.id);
    if (!job || !mine) {
      // A human's fix: when it repaired the service, the breaker and the counts start afresh.
      if (result.outcome === "repaired") {
        limits.reset(result.service);
        for (const sig of [...refusedUntil.keys()])
          if (sig.startsWith(`${result.service}|`)) refusedUntil.delete(sig);
        // A request still waiting is moot now: approving it later would repair a healthy service.
        if (job?.state === "waiting") {
          clearTimeout(job.timer);
          void outcome(job.finding, "skipped", "superseded by a human fix");
          job.done();
        }
      }
      return;
    }
    report(job, result);
    job.done();
  }

  function report(job: Job, result: FixResult): void {
    const f = job.finding;
    const shown = result.finding ?? f;
    if (result.outcome === "repaired") {
      limits.finished(f.service, true);
      refusedUntil.delete(f.signature);
      options.emit("fix.applied", {
        finding: shown,
        ...about(f),
        plan: planForEvent(result.plan ?? job.plan),
        steps: result.report?.steps ?? [],
      });
      return;
    }
    if (result.outcome === "reported" || result.outcome === "nothing-to-fix") {
      if (result.plan)
        sendOnce("finding", shown, { plan: planForEvent(result.plan), suggest: result.plan.suggest });
      return;
    }
    options.emit("fix.failed", {
      finding: shown,
      ...about(f),
      plan: planForEvent(result.plan ?? job.plan),
      steps: result.report?.steps ?? [],
      ...(result.report?.reason
        ? { reason: result.report.reason, reasonRu: result.report.reasonRu ?? result.report.reason }
        : { reason: commonWords.repairFailed().en, reasonRu: commonWords.repairFailed().ru }),
      recurred: result.report?.recurred ?? null,
      logs: result.report?.logs ?? [],
      suggest: suggestionsFor(f.service),
    });
    if (limits.finished(f.service, false))
      options.emit("autofix.paused", {
        finding: shown,
        ...about(f),
        reason: "breaker",
        failures: settings.breakerFailures,
        until: now() + settings.breakerCooldownMs,
        ...messageOf(commonWords.breakerStopped({ service: f.service, failures: settings.breakerFailures })),
      });
  }

  const unobserve = options.fixes.observe({ started: onStarted, finished: onFinished });

  /** Asks the controller for the repair; resolves when it ran or the approval window passed. */
  function request(f: Finding, plan: Plan): Promise<void> {
    const job = track(f, plan, "waiting");
    const done = running.get(f.service) ?? Promise.resolve();
    job.timer = setTimeout(() => notApproved(job), settings.approvalMs);
    options.emit("fix.request", { finding: f, ...about(f), plan: planForEvent(plan) });
    return done;
  }

  async function handle(f: Finding): Promise<void> {
    // One finding per service at a time, decided before the first await: two findings of one burst
    // (journal lines and the failed unit) must not both be recorded and race to the request.
    if (abort.signal.aborted || jobs.has(f.service) || handling.has(f.service)) return;
    handling.add(f.service);
    try {
      await handleOne(f);
    } finally {
      handling.delete(f.service);
    }
  }

  async function handleOne(f: Finding): Promise<void> {
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
      const { planFix } = await import("./plan-fix.ts");
      plan = await planFix(adapters, { vm: options.vm, inventory: options.inventory }, target, f, settings);
    } catch (e) {
      plan = {
        decision: "report",
        rule: f.rule,
        steps: [],
        ...(({ en, ru }) => ({ reason: en, reasonRu: ru }))(
          commonWords.cannotPlan({ error: (e as Error).message }),
        ),
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
          ...about(f),
          reason: gate.kind === "paused" ? "breaker" : "limit",
          failures: gate.failures,
          repairs: gate.repairs,
          until: gate.until,
          ...messageOf(
            gate.kind === "paused"
              ? commonWords.breakerStopped({
                  service: f.service,
                  failures: gate.failures ?? settings.breakerFailures,
                })
              : commonWords.hourLimit({
                  service: f.service,
                  repairs: gate.repairs ?? 0,
                  until: new Date(gate.until).toISOString(),
                }),
          ),
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
    // The same problem went unanswered recently: the controller said no (or nobody did); do not nag.
    if ((refusedUntil.get(f.signature) ?? 0) > now()) {
      await outcome(f, "skipped", NOT_APPROVED);
      return;
    }
    if (jobs.has(f.service)) return;
    await request(f, plan);
  }

  return {
    handle,
    busy: (service) => jobs.has(service),
    quietSince: (service) => ended.get(service) ?? 0,
    async idle() {
      while (running.size > 0 || deferred.size > 0)
        await Promise.all([...running.values(), ...[...deferred.values()].map((d) => d.done)]);
    },
    stop() {
      abort.abort();
      unobserve();
      for (const job of jobs.values()) {
        clearTimeout(job.timer);
        job.done();
      }
      for (const d of deferred.values()) {
        clearTimeout(d.timer);
        d.resolve();
      }
      deferred.clear();
    },
  };
}
