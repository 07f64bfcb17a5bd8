import { describe, expect, it } from "vitest";
import { encodeFrame, parseFrame } from "./frames.ts";

describe("parseFrame", () => {
  it("accepts a valid command", () => {
    const r = parseFrame(encodeFrame({ type: "command", id: "c1", action: "status", args: {}, deadline: 1 }));
    expect(r.ok).toBe(true);
  });
  it("answers garbage with an error frame instead of throwing", () => {
    expect(parseFrame("{not json")).toEqual({
      ok: false,
      error: { type: "error", code: "bad-json", message: "frame is not valid JSON" },
    });
    const r = parseFrame(JSON.stringify({ type: "command", id: "c2", action: "status" }));
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe("invalid-frame");
      expect(r.error.ref).toBe("c2");
    }
    expect(parseFrame(JSON.stringify({ type: "nope" })).ok).toBe(false);
    expect(parseFrame(42).ok).toBe(false);
  });
});
