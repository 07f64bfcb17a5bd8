/**
 * Who is told about the repairs the `fix` action runs: the auto-fix engine of the same state directory
 * listens here, so a repair the controller approved (or a human ran) is counted once by the limits and
 * reported with the finding that asked for it, whichever path the command took to the handler.
 */

import type { Finding } from "./finding.ts";
import type { FixResult } from "./fix-result.ts";
import type { Plan } from "./plan.ts";

/** Told when `fix` starts a planned repair and when a diagnosis ends, however it ended. */
export interface FixObserver {
  /** A repair of `finding` by `plan` is about to run its first step. */
  started(finding: Finding, plan: Plan): void;
  /** `fix` is done with one service (repaired, failed, reported or nothing to fix). */
  finished(result: FixResult): void;
}

const observers = new Map<string, Set<FixObserver>>();

/** Registers an observer for the repairs of one state directory; returns the function that removes it. */
export function observeFixes(stateDir: string, observer: FixObserver): () => void {
  const set = observers.get(stateDir) ?? new Set<FixObserver>();
  set.add(observer);
  observers.set(stateDir, set);
  return () => {
    set.delete(observer);
    if (set.size === 0 && observers.get(stateDir) === set) observers.delete(stateDir);
  };
}

/** Tells every observer of `stateDir`; an observer that throws does not stop the repair. */
export function tellFixObservers(stateDir: string, tell: (observer: FixObserver) => void): void {
  for (const observer of observers.get(stateDir) ?? []) {
    try {
      tell(observer);
    } catch {
      // an observer's own problem; the repair goes on
    }
  }
}
