import type { ApiCallFn } from "grammy";
import { describe, expect, it } from "vitest";
import { createRateLimitTransformer } from "./rate-limit.ts";

/** A fake clock whose sleep advances time instantly and records the waits. */
function fakeTime() {
  let now = 0;
  const waits: number[] = [];
  return {
    now: () => now,
    sleep: async (ms: number) => {
      waits.push(ms);
      now += ms;
    },
    waits,
  };
}

type Result =
  | { ok: true; result: true }
  | { ok: false; error_code: number; description: string; parameters?: { retry_after?: number } };

function fakeApi(results: Result[]) {
  const calls: { method: string; at: number }[] = [];
  return {
    calls,
    make: (time: { now(): number }) =>
      (async (method: string) => {
        calls.push({ method, at: time.now() });
        return results.shift() ?? { ok: true, result: true };
      }) as unknown as ApiCallFn,
  };
}

// The 429 retries (@grammyjs/auto-retry, real time) are tested on the Bot API stand-in: test/telegram/limits.test.ts.
describe("createRateLimitTransformer", () => {
  it("spaces messages to one chat by the interval and leaves other methods alone", async () => {
    const time = fakeTime();
    const api = fakeApi([]);
    const t = createRateLimitTransformer({ minIntervalMs: 1000, now: time.now, sleep: time.sleep });
    const prev = api.make(time);
    await Promise.all([
      t(prev, "sendMessage", { chat_id: 1, text: "a" }),
      t(prev, "editMessageText", { chat_id: 1, message_id: 1, text: "b" }),
      t(prev, "sendChatAction", { chat_id: 1, action: "typing" }),
      t(prev, "sendMessage", { chat_id: 2, text: "c" }),
    ]);
    const at = (method: string, n = 0) => api.calls.filter((c) => c.method === method)[n]?.at;
    expect(at("editMessageText")).toBe(1000);
    expect(at("sendChatAction")).toBe(0);
    expect(api.calls.filter((c) => c.method === "sendMessage").map((c) => c.at)).toEqual([0, 0]);
  });

  it("does not retry other errors", async () => {
    const time = fakeTime();
    const api = fakeApi([{ ok: false, error_code: 400, description: "Bad Request: chat not found" }]);
    const t = createRateLimitTransformer({ now: time.now, sleep: time.sleep });
    const result = await t(api.make(time), "sendMessage", { chat_id: 1, text: "x" });
    expect(result).toMatchObject({ ok: false, error_code: 400 });
    expect(api.calls).toHaveLength(1);
  });
});
