import { describe, expect, it } from "vitest";
import { createLimits } from "./limits.ts";

function clock() {
  let t = 1_000_000;
  return {
    now: () => t,
    advance: (ms: number): void => {
      t += ms;
    },
  };
}

describe("limits", () => {
  it("allows N repairs an hour per service and rule with a doubling backoff, and says so once", () => {
    const c = clock();
    const l = createLimits({
      perHour: 3,
      backoffMs: 1000,
      breakerFailures: 9,
      breakerCooldownMs: 60_000,
      now: c.now,
    });
    expect(l.check("web", "port-in-use").kind).toBe("go");
    l.started("web", "port-in-use");
    l.finished("web", true);
    expect(l.check("web", "port-in-use")).toEqual({ kind: "backoff", until: c.now() + 1000 });
    expect(l.check("web", "import-error").kind).toBe("go");
    c.advance(1000);
    l.started("web", "port-in-use");
    expect(l.check("web", "port-in-use")).toEqual({ kind: "backoff", until: c.now() + 2000 });
    c.advance(2000);
    l.started("web", "port-in-use");
    c.advance(60_000);
    expect(l.check("web", "port-in-use")).toMatchObject({ kind: "limited", notify: true, repairs: 3 });
    expect(l.check("web", "port-in-use")).toMatchObject({ kind: "limited", notify: false });
    c.advance(3600_000);
    expect(l.check("web", "port-in-use").kind).toBe("go");
  });

  it("opens the breaker after repeated failures, once, and closes it after the cooldown or a reset", () => {
    const c = clock();
    const l = createLimits({
      perHour: 99,
      backoffMs: 0,
      breakerFailures: 2,
      breakerCooldownMs: 60_000,
      now: c.now,
    });
    expect(l.finished("api", false)).toBe(false);
    expect(l.finished("api", false)).toBe(true);
    expect(l.finished("api", false)).toBe(false);
    // The opening was announced by the caller; checks while open stay quiet.
    expect(l.check("api", "file-not-found")).toMatchObject({ kind: "paused", notify: false });
    c.advance(60_001);
    expect(l.check("api", "file-not-found").kind).toBe("go");
    l.finished("api", false);
    l.finished("api", false);
    l.reset("api");
    expect(l.check("api", "file-not-found").kind).toBe("go");
  });

  it("a success in between keeps the breaker closed", () => {
    const c = clock();
    const l = createLimits({
      perHour: 99,
      backoffMs: 0,
      breakerFailures: 2,
      breakerCooldownMs: 60_000,
      now: c.now,
    });
    l.finished("api", false);
    l.finished("api", true);
    expect(l.finished("api", false)).toBe(false);
  });
});
