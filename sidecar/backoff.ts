/** Full-jitter exponential backoff: each wait is random in [0, min(cap, base·2^attempt)). */

export interface Backoff {
  /** The next wait in milliseconds; each call counts one more attempt. */
  next(): number;
  /** Starts counting again from the first attempt. */
  reset(): void;
  readonly attempts: number;
}

export interface BackoffOptions {
  readonly baseMs?: number;
  readonly capMs?: number;
  readonly random?: () => number;
}

/** Creates a backoff with the given base and cap (defaults 500 ms and 30 s). */
export function createBackoff(options: BackoffOptions = {}): Backoff {
  const base = options.baseMs ?? 500;
  const cap = options.capMs ?? 30_000;
  const random = options.random ?? Math.random;
  let attempts = 0;
  return {
    next() {
      const ceiling = Math.min(cap, base * 2 ** Math.min(attempts, 30));
      attempts++;
      return Math.floor(random() * ceiling);
    },
    reset() {
      attempts = 0;
    },
    get attempts() {
      return attempts;
    },
  };
}
