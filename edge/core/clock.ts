/** Time as a port, so tests and scenario runners can drive it. */

/** Gives the current time in epoch milliseconds. */
export interface Clock {
  now(): number;
}

/** The real clock. */
export const systemClock: Clock = { now: () => Date.now() };
