/**
 * Who is told about the repairs the `fix` action runs: the auto-fix engine of the same sidecar listens
 * here, so a repair the controller approved (or a human ran) is counted once by the limits and reported
 * with the finding that asked for it, whichever path the command took to the handler. One set per
 * sidecar host (sidecar/host.ts), shared by its `fix` action and its engine; no module-level state.
 */

import type { FixResult } from "./fix-result.ts";
import type { Finding } from "./rule-kit/finding.ts";
import type { Plan } from "./rule-kit/plan.ts";

/** Told when `fix` starts a planned repair and when a diagnosis ends, however it ended. */
export interface FixObserver {
  /** A repair of `finding` by `plan` is about to run its first step. */
  started(finding: Finding, plan: Plan): void;
  /** `fix` is done with one service (repaired, failed, reported or nothing to fix). */
  finished(result: FixResult): void;
}

/** The observers of one sidecar's repairs. */
export interface FixObservers {
  /** Registers an observer; returns the function that removes it. */
  observe(observer: FixObserver): () => void;
  /** Tells every observer; an observer that throws does not stop the repair. */
  tell(tell: (observer: FixObserver) => void): void;
}

/** Creates an empty set of observers. */
export function createFixObservers(): FixObservers {
  const observers = new Set<FixObserver>();
  return {
    observe(observer) {
      observers.add(observer);
      return () => void observers.delete(observer);
    },
    tell(tell) {
      for (const observer of observers) {
        try {
          tell(observer);
        } catch {
          // an observer's own problem; the repair goes on
        }
      }
    },
  };
}
