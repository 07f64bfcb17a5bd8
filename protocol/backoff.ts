/**
 * Full-jitter exponential backoff (as in cloudflared and the AWS architecture note), the one copy the
 * edge (Oracle retries) and the sidecar (re-dialling its link) both use.
 */

/** How retries are spaced. */
export interface BackoffPolicy {
  readonly baseMs: number;
  readonly capMs: number;
}

/** Delay before retry number `attempt` (0-based): uniform in [0, min(cap, base·2^attempt)). */
export function fullJitterDelay(attempt: number, policy: BackoffPolicy, random: () => number): number {
  const ceiling = Math.min(policy.capMs, policy.baseMs * 2 ** Math.min(attempt, 30));
  return Math.floor(random() * ceiling);
}

/** A counting backoff: each `next()` is the full-jitter delay for one more attempt. */
export interface Backoff {
  /** The next wait in milliseconds; each call counts one more attempt. */
  next(): number;
  /** Starts counting again from the first attempt. */
  reset(): void;
  readonly attempts: number;
}

/** Options of `createBackoff`: base and cap in milliseconds, and the random source. */
export interface BackoffOptions {
  readonly baseMs?: number;
  readonly capMs?: number;
  readonly random?: () => number;
}

/** Creates a backoff with the given base and cap (defaults 500 ms and 30 s). */
export function createBackoff(options: BackoffOptions = {}): Backoff {
  const policy = { baseMs: options.baseMs ?? 500, capMs: options.capMs ?? 30_000 };
  const random = options.random ?? Math.random;
  let attempts = 0;
  return {
    next: () => fullJitterDelay(attempts++, policy, random),
    reset() {
      attempts = 0;
    },
    get attempts() {
      return attempts;
    },
  };
}
