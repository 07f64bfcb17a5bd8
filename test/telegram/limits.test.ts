import { GrammyError } from "grammy";
import { afterEach, describe, expect, it } from "vitest";
import { createTelegramNotifier } from "../../edge/telegram/notifier.ts";
import { alice, bob, type Harness, startHarness } from "./harness.ts";

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe("Telegram's limits", () => {
  it("a 429 is retried after its retry_after and the message still arrives", async () => {
    h = await startHarness({}, false);
    h.api.failNext("sendMessage", 1);
    await h.bot.api.sendMessage(alice.id, "hello");
    const [refused, retried] = h.api.callsOf("sendMessage");
    expect(refused?.error_code).toBe(429);
    expect(retried?.ok).toBe(true);
    expect((retried?.at ?? 0) - (refused?.at ?? 0)).toBeGreaterThanOrEqual(990);
  });

  it("a second message to the chat still arrives, after the retried one and in order", async () => {
    h = await startHarness({ rateLimit: { minIntervalMs: 0 } }, false);
    h.api.failNext("sendMessage", 1);
    const sent = await Promise.all([
      h.bot.api.sendMessage(alice.id, "first"),
      h.bot.api.sendMessage(alice.id, "second"),
    ]);
    expect(sent.map((m) => m.text)).toEqual(["first", "second"]);
    const calls = h.api.callsOf("sendMessage");
    expect(calls.map((c) => [c.params["text"], c.ok])).toEqual([
      ["first", false],
      ["first", true],
      ["second", true],
    ]);
    // Both are in the chat as the stand-in stores it, each once.
    expect(sent.map((m) => h?.api.message(alice.id, m.message_id)?.text)).toEqual(["first", "second"]);
  });

  it("a Bot API error other than 429 is not retried", async () => {
    h = await startHarness({ rateLimit: { minIntervalMs: 0 } }, false);
    await expect(h.bot.api.sendMessage(424242, "nobody")).rejects.toMatchObject({ error_code: 400 });
    expect(h.api.callsOf("sendMessage")).toHaveLength(1);
  });

  it("gives up after the bounded number of retries with the Bot API's error", async () => {
    h = await startHarness({ rateLimit: { minIntervalMs: 0, maxRetries: 2 } }, false);
    h.api.failNext("sendMessage", 0, 10);
    const error = await h.bot.api.sendMessage(alice.id, "hello").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GrammyError);
    expect((error as GrammyError).error_code).toBe(429);
    expect(h.api.callsOf("sendMessage")).toHaveLength(3);
  });

  it("does not wait out a retry_after longer than the bound", async () => {
    h = await startHarness({ rateLimit: { maxRetryAfterS: 5 } }, false);
    h.api.failNext("sendMessage", 3600);
    const started = performance.now();
    await expect(h.bot.api.sendMessage(alice.id, "hello")).rejects.toMatchObject({ error_code: 429 });
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it("paces messages to one chat, in order, but not across chats", async () => {
    h = await startHarness({ rateLimit: { minIntervalMs: 200 } }, false);
    await Promise.all([
      h.bot.api.sendMessage(alice.id, "one"),
      h.bot.api.sendMessage(alice.id, "two"),
      h.bot.api.sendMessage(alice.id, "three"),
      h.bot.api.sendMessage(bob.id, "other chat"),
    ]);
    const toAlice = h.api.callsOf("sendMessage").filter((c) => c.params["chat_id"] === alice.id);
    expect(toAlice.map((c) => c.params["text"])).toEqual(["one", "two", "three"]);
    for (let i = 1; i < toAlice.length; i++) {
      expect((toAlice[i]?.at ?? 0) - (toAlice[i - 1]?.at ?? 0)).toBeGreaterThanOrEqual(190);
    }
    const toBob = h.api.callsOf("sendMessage").find((c) => c.params["chat_id"] === bob.id);
    // Another chat is not held behind this chat's pacing: Bob's message goes out before Alice's last one.
    expect(toBob?.at ?? Infinity).toBeLessThan(toAlice[toAlice.length - 1]?.at ?? 0);
  });
});

describe("the alert notifier", () => {
  it("sends each admin the alert in their language with its buttons", async () => {
    h = await startHarness({}, false);
    await h.preferences.update(alice.id, { lang: "ru" });
    const notifier = createTelegramNotifier({
      api: h.bot.api,
      adminChatIds: [alice.id, bob.id],
      preferences: h.preferences,
    });
    await notifier.notify({
      key: "service-failed:grok-voice@vm1",
      severity: "critical",
      text: { ru: "grok-voice упал на vm1 (exit 1) <oom>", en: "grok-voice failed on vm1 (exit 1) <oom>" },
      buttons: [
        [
          { label: "🔄 Restart", data: "alert:1:restart" },
          { label: "📜 Logs", data: "alert:1:logs" },
        ],
      ],
    });
    const sent = h.api.callsOf("sendMessage");
    expect(sent.map((c) => [c.params["chat_id"], c.params["text"]])).toEqual([
      [alice.id, "🚨 grok-voice упал на vm1 (exit 1) &lt;oom&gt;"],
      [bob.id, "🚨 grok-voice failed on vm1 (exit 1) &lt;oom&gt;"],
    ]);
    expect(sent[0]?.params["reply_markup"]).toEqual({
      inline_keyboard: [
        [
          { text: "🔄 Restart", callback_data: "alert:1:restart" },
          { text: "📜 Logs", callback_data: "alert:1:logs" },
        ],
      ],
    });
  });

  it("drops a button whose data is over 64 bytes (reported), and fails only if no admin got the alert", async () => {
    h = await startHarness({}, false);
    const errors: unknown[] = [];
    const notifier = createTelegramNotifier({
      api: h.bot.api,
      adminChatIds: [alice.id, 424242],
      onError: (e) => errors.push(e),
    });
    await notifier.notify({
      key: "k",
      severity: "warning",
      text: { ru: "диск 91%", en: "disk 91%" },
      buttons: [
        [
          { label: "ok", data: "x" },
          { label: "too long", data: "y".repeat(65) },
        ],
      ],
    });
    expect(h.api.callsOf("sendMessage").find((c) => c.ok)?.params["reply_markup"]).toEqual({
      inline_keyboard: [[{ text: "ok", callback_data: "x" }]],
    });
    expect(errors.map(String).join("\n")).toMatch(/over 64 bytes[\s\S]*chat not found/);
    const nobody = createTelegramNotifier({ api: h.bot.api, adminChatIds: [424242] });
    await expect(nobody.notify({ key: "k", severity: "info", text: { ru: "a", en: "a" } })).rejects.toThrow(
      /reached no admin/,
    );
  });
});
