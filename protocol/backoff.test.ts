import { describe, expect, it } from "vitest";
import { createBackoff, fullJitterDelay } from "./backoff.ts";

describe("full-jitter backoff", () => {
  it("doubles the ceiling per attempt up to the cap", () => {
    const top = () => 0.999_999;
    const policy = { baseMs: 100, capMs: 1000 };
    expect([0, 1, 2, 3, 4, 40].map((a) => fullJitterDelay(a, policy, top))).toEqual([
      99, 199, 399, 799, 999, 999,
    ]);
    expect(fullJitterDelay(3, policy, () => 0)).toBe(0);
  });
  it("counts attempts and starts again after reset", () => {
    const backoff = createBackoff({ baseMs: 10, capMs: 1000, random: () => 0.5 });
    expect([backoff.next(), backoff.next(), backoff.next()]).toEqual([5, 10, 20]);
    expect(backoff.attempts).toBe(3);
    backoff.reset();
    expect(backoff.attempts).toBe(0);
    expect(backoff.next()).toBe(5);
  });
});
