/**
 * The auto-fix watcher: follows the journal of every service of this VM, gathers each service's lines
 * into bursts, turns a burst with errors into a finding, and hands it to the engine; units that enter the
 * failed state are diagnosed from their last lines. Log text is only ever matched, never obeyed.
 */
import type { Inventory } from "../../protocol/inventory.ts";
import type { Adapters } from "../adapters/index.ts";
import type { JournalEntry } from "../adapters/journal-entry.ts";
import type { JournalFollow } from "../adapters/journal-follow.ts";
import { unitOf } from "../services/targets.ts";
import { createEngine, type Emit, type Engine } from "./engine.ts";
import { createFinding } from "./finding.ts";
import type { FixObservers } from "./fix-observers.ts";
import { kernelOomRecord, killedBySigkill } from "./kernel-oom.ts";
import { classify, looksLikeError } from "./match.ts";
import { UNKNOWN_RULE } from "./rules.ts";
import type { AutofixSettings } from "./settings.ts";

/** What the watcher needs. */
export interface AutofixOptions {
  readonly adapters: Adapters;
  /** The sidecar host's observers of the `fix` action (the same the handler table was given). */
  readonly fixes: FixObservers;
  readonly vm: string;
  readonly inventory: Inventory;
  readonly settings: AutofixSettings;
  readonly emit: Emit;
  readonly onProblem?: (message: string, detail: Record<string, unknown>) => void;
}

/** A running watcher. */
export interface Autofix {
  /** Starts following; resolves once the journal is being followed. */
  start(): Promise<void>;
  /** Tells the watcher the current failed units (the sidecar's heartbeat asks systemd anyway). */
  onFailedUnits(units: readonly string[]): void;
  /**
   * Reads this VM's services from the inventory again and follows the journal of exactly those (a
   * service voxops created or removed since the start); resolves once the new follow is ready.
   */
  rewatch(): Promise<void>;
  /** Resolves when no burst is pending and no repair runs (for tests and shutdown). */
  idle(): Promise<void>;
  stop(): Promise<void>;
  readonly engine: Engine;
}

/** Lines kept per burst; a flood beyond this is counted by the journal, not held in memory. */
const MAX_BURST_LINES = 200;
/** A burst is cut after this many burst windows even if lines keep coming. */
const MAX_BURST_WINDOWS = 4;

/** Creates the watcher; nothing runs until `start`. */
export function createAutofix(options: AutofixOptions): Autofix {
  const { adapters, settings } = options;
  const watched = () =>
    new Map((options.inventory.vm(options.vm)?.services ?? []).map((s) => [unitOf(s), s.name]));
  let serviceOfUnit = watched();
  const engine = createEngine(options);
  const bursts = new Map<string, { entries: JournalEntry[]; timer: NodeJS.Timeout; first: number }>();
  const work = new Set<Promise<void>>();
  let failed = new Set<string>();
  let follow: JournalFollow | null = null;
  /** The follow a rewatch is replacing, until the new one is ready. */
  let replacing: JournalFollow | null = null;
  let rewatching: Promise<void> = Promise.resolve();
  let started = false;
  let stopped = false;
  let restarts = 0;

  const track = (p: Promise<void>): void => {
    work.add(p);
    void p.finally(() => work.delete(p));
  };

  const judge = (unit: string, entries: JournalEntry[], why?: string): void => {
    const service = serviceOfUnit.get(unit);
    if (!service || stopped || engine.busy(service)) return;
    const fresh = entries.filter((e) => e.at > engine.quietSince(service));
    // A SIGKILL may be the kernel's OOM killer recorded as 'signal' (cgroup v1): its own record says so.
    if (killedBySigkill(fresh) && classify(fresh)?.rule !== "out-of-memory") {
      const since = Math.min(...fresh.map((e) => e.at)) - 5000;
      track(
        kernelOomRecord(adapters.journal, unit, since).then((oom) =>
          decide(unit, service, oom ? [...fresh, oom] : fresh, why),
        ),
      );
      return;
    }
    decide(unit, service, fresh, why);
  };

  const decide = (unit: string, service: string, fresh: JournalEntry[], why?: string): void => {
    if (stopped || engine.busy(service)) return;
    const c = classify(fresh) ?? (why ? { rule: UNKNOWN_RULE, facts: {}, line: why, errorLines: [] } : null);
    if (!c) return;
    const finding = createFinding({ vm: options.vm, service, unit, source: "watch" }, c, Date.now());
    track(
      engine
        .handle(finding)
        .catch((e: unknown) => options.onProblem?.("auto-fix failed", { error: String(e) })),
    );
  };

  const flush = (unit: string): void => {
    const b = bursts.get(unit);
    if (!b) return;
    clearTimeout(b.timer);
    bursts.delete(unit);
    judge(unit, b.entries);
  };

  const onEntry = (e: JournalEntry): void => {
    if (!e.unit || !serviceOfUnit.has(e.unit)) return;
    const unit = e.unit;
    const b = bursts.get(unit);
    if (!b) {
      // A burst starts only at an error line; ordinary chatter costs nothing.
      if (!looksLikeError(e)) return;
      bursts.set(unit, {
        entries: [e],
        timer: setTimeout(() => flush(unit), settings.burstMs),
        first: Date.now(),
      });
      return;
    }
    if (b.entries.length < MAX_BURST_LINES) b.entries.push(e);
    clearTimeout(b.timer);
    b.timer =
      Date.now() - b.first > settings.burstMs * MAX_BURST_WINDOWS
        ? setTimeout(() => flush(unit), 0)
        : setTimeout(() => flush(unit), settings.burstMs);
  };

  const diagnoseFailed = async (unit: string): Promise<void> => {
    // journald may hand the unit's last lines to the follow after systemd reports the unit failed: give
    // them one burst window, and leave the unit to its burst when one started meanwhile.
    await new Promise((r) => setTimeout(r, settings.burstMs));
    if (stopped || bursts.has(unit)) return;
    const since = Date.now() - 15 * 60_000;
    const entries = await adapters.journal
      .entries({ units: [unit], sinceMs: since, lines: 300 })
      .catch(() => []);
    const newest = [...entries].reverse().find((e) => looksLikeError(e));
    const burst = newest ? entries.filter((e) => e.at >= newest.at - 10_000) : [];
    judge(unit, burst, `${unit} is in the failed state`);
  };

  const startFollow = (): Promise<void> => {
    const mine: JournalFollow = adapters.journal.follow({
      units: [...serviceOfUnit.keys()],
      // Until a new follow (after a rewatch) is ready, the one it replaces still delivers.
      onEntry: (e) => {
        if (follow === mine || replacing === mine) onEntry(e);
      },
      onEnd: (reason) => {
        if (stopped || follow !== mine) return;
        if (reason.startsWith("cannot run")) {
          // No journalctl on this machine: say so once; failed units still reach the watcher.
          options.onProblem?.("auto-fix cannot follow the journal", { reason });
          return;
        }
        options.onProblem?.("journal follow ended; following again", { reason });
        const delay = Math.min(30_000, 1000 * 2 ** Math.min(restarts++, 5));
        setTimeout(() => {
          if (!stopped && follow === mine) void startFollow();
        }, delay).unref();
      },
    });
    follow = mine;
    return mine.ready;
  };

  /** Replaces the watched units and the follow with what the inventory says now. */
  const swap = async (self: Pick<Autofix, "onFailedUnits">): Promise<void> => {
    if (stopped) return;
    const next = watched();
    const same =
      next.size === serviceOfUnit.size && [...next].every(([unit, name]) => serviceOfUnit.get(unit) === name);
    if (same) return;
    serviceOfUnit = next;
    if (!started) return;
    for (const [unit, b] of bursts)
      if (!next.has(unit)) {
        clearTimeout(b.timer);
        bursts.delete(unit);
      }
    failed = new Set([...failed].filter((u) => next.has(u)));
    const old = follow;
    replacing = old;
    follow = null;
    // No services left: follow nothing (an empty unit list would follow the whole journal).
    if (next.size > 0) await startFollow();
    replacing = null;
    await old?.stop();
    const units = await adapters.systemd.failedUnits().catch(() => [] as string[]);
    self.onFailedUnits(units);
  };

  return {
    engine,
    async start() {
      started = true;
      if (serviceOfUnit.size === 0) return;
      await startFollow();
      const units = await adapters.systemd.failedUnits().catch(() => [] as string[]);
      this.onFailedUnits(units);
    },
    rewatch() {
      // One rewatch at a time: two quick changes must not leave two follows running.
      const run = rewatching.then(() => swap(this));
      rewatching = run.catch(() => undefined);
      return run;
    },
    onFailedUnits(units) {
      const now = new Set(units.filter((u) => serviceOfUnit.has(u)));
      for (const unit of now) if (!failed.has(unit) && !bursts.has(unit)) track(diagnoseFailed(unit));
      failed = now;
    },
    async idle() {
      for (let i = 0; i < 50 && (bursts.size > 0 || work.size > 0); i++) {
        for (const unit of [...bursts.keys()]) flush(unit);
        await Promise.all([...work]);
        await engine.idle();
      }
    },
    async stop() {
      stopped = true;
      for (const b of bursts.values()) clearTimeout(b.timer);
      bursts.clear();
      engine.stop();
      await follow?.stop();
    },
  };
}
