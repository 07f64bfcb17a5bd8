/** The named steps of a long action with their durations, each announced to the controller as it starts. */

/** One finished step. */
export interface StepTime {
  readonly step: string;
  readonly ms: number;
}

/** A running record of steps. */
export interface StepLog {
  /** Ends the current step (if any) and starts `step`, telling the controller. */
  start(step: string): void;
  /** Ends the current step and announces the outcome (`done`, `failed`, `rolled-back`). */
  end(outcome: string): readonly StepTime[];
  /** The steps finished so far. */
  readonly steps: readonly StepTime[];
}

/** Creates a step log that reports through `progress` and measures with `now`. */
export function createStepLog(progress: ((step: string) => void) | undefined, now: () => number): StepLog {
  const steps: StepTime[] = [];
  let current: { step: string; at: number } | null = null;
  const close = () => {
    if (current) steps.push({ step: current.step, ms: now() - current.at });
    current = null;
  };
  return {
    start(step) {
      close();
      current = { step, at: now() };
      progress?.(step);
    },
    end(outcome) {
      close();
      progress?.(outcome);
      return steps;
    },
    steps,
  };
}
