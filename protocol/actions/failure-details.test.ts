import { describe, expect, it } from "vitest";
import { typedFailureDetails } from "./failure-details.ts";

describe("a failure's details on the wire", () => {
  it("carries a failed restart's journal lines, clipped: the last 50, each at most 1000 characters", () => {
    const logs = Array.from({ length: 80 }, (_, i) => `line ${i} ${"x".repeat(3000)}`);
    const details = typedFailureDetails("restart", {
      service: "api",
      durationMs: 1200,
      verified: { ok: false, state: "failed/failed", reason: "the unit failed" },
      logs,
    });
    const sent = details?.["logs"] as string[];
    expect(sent).toHaveLength(50);
    expect(sent[0]).toMatch(/^line 30 /);
    expect(sent.every((l) => l.length <= 1000)).toBe(true);
  });
  it("sends nothing for an action that declares no details, or details in another form", () => {
    expect(typedFailureDetails("status", { anything: 1 })).toBeUndefined();
    expect(typedFailureDetails("restart", { service: "api" })).toBeUndefined();
    expect(typedFailureDetails("no-such-action", { service: "api" })).toBeUndefined();
  });
});
