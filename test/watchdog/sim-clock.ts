/** An injected clock with an event queue: plays an hour of heartbeats in well under a second. */

/** A scheduled event; `cancelled` events are skipped. */
interface SimEvent {
  readonly at: number;
  readonly seq: number;
  readonly run: () => Promise<void> | void;
  cancelled: boolean;
}

/** The scenario clock and its queue. */
export interface SimClock {
  now(): number;
  /** Runs `run` at time `at` (not earlier than now); returns a cancel function. */
  at(at: number, run: () => Promise<void> | void): () => void;
  /** Pops events in time order until `until`, awaiting `settle` after each. */
  runUntil(until: number, settle: () => Promise<void>): Promise<void>;
}

/** Creates a clock starting at `start` (epoch ms). */
export function createSimClock(start: number): SimClock {
  let now = start;
  let seq = 0;
  const queue: SimEvent[] = [];
  return {
    now: () => now,
    at(at, run) {
      const event: SimEvent = { at: Math.max(at, now), seq: seq++, run, cancelled: false };
      const i = queue.findIndex((e) => e.at > event.at);
      queue.splice(i === -1 ? queue.length : i, 0, event);
      return () => {
        event.cancelled = true;
      };
    },
    async runUntil(until, settle) {
      for (let steps = 0; steps < 5_000_000; steps++) {
        const next = queue[0];
        if (!next || next.at > until) break;
        queue.shift();
        if (next.cancelled) continue;
        now = next.at;
        await next.run();
        await settle();
      }
      now = Math.max(now, until);
    },
  };
}

/** A seeded random source (mulberry32), so a failing scenario can be replayed. */
export function createRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
