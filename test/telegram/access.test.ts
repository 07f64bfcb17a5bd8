import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import { Hono } from "hono";
import { afterEach, describe, expect, it } from "vitest";
import { createTelegramWebhook, setTelegramWebhook } from "../../edge/telegram/webhook.ts";
import { alice, bob, type Harness, mallory, startHarness, stranger, until } from "./harness.ts";

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const secret = "webhook-secret-0123456789abcdef";

describe("strangers", () => {
  it("get a short refusal in their language; nothing runs; the attempt is audited", async () => {
    h = await startHarness();
    h.api.push(h.api.textUpdate(mallory, "Reboot the first machine"));
    const refusal = await h.api.waitForCall((c) => c.method === "sendMessage");
    expect(refusal.params).toMatchObject({
      chat_id: mallory.id,
      text: "⛔ Access denied: this bot serves its operators only.",
    });
    h.api.push(h.api.textUpdate(stranger, "Перезагрузи первую машину"));
    const ru = await h.api.waitForCall(
      (c) => c.method === "sendMessage" && c.params["chat_id"] === stranger.id,
    );
    expect(ru.params["text"]).toBe("⛔ Доступ закрыт: этот бот работает только для своих операторов.");
    expect(h.desk.texts).toHaveLength(0);
    expect(h.strangers).toMatchObject([
      {
        kind: "telegram.stranger",
        user_id: mallory.id,
        username: "mallory",
        update: "message",
        text: "Reboot the first machine",
      },
      { kind: "telegram.stranger", user_id: stranger.id, update: "message" },
    ]);
    expect(h.strangers[0]?.at).toBe(h.clock.now());
  });

  it("pressing a button is answered with the refusal and never reaches the desk", async () => {
    h = await startHarness();
    h.api.push(h.api.callbackUpdate(mallory, { chat_id: mallory.id, message_id: 1 }, "cf:1:y"));
    const answer = await h.api.waitForCall((c) => c.method === "answerCallbackQuery");
    expect(answer.params["text"]).toContain("Access denied");
    expect(h.desk.buttons).toHaveLength(0);
    expect(h.strangers[0]).toMatchObject({ user_id: mallory.id, update: "callback_query" });
  });

  it("are refused once a minute, however often they write (each attempt still audited)", async () => {
    h = await startHarness();
    for (let i = 0; i < 3; i++) h.api.push(h.api.textUpdate(mallory, `try ${i}`));
    await until(() => h!.strangers.length === 3);
    expect(h.api.callsOf("sendMessage")).toHaveLength(1);
    h.clock.advance(61_000);
    h.api.push(h.api.textUpdate(mallory, "again"));
    await h.api.waitForCall(() => h!.api.callsOf("sendMessage").length === 2);
  });
});

describe("a duplicated update", () => {
  it("is processed once", async () => {
    h = await startHarness();
    const update = h.api.textUpdate(bob, "restart grok-voice");
    h.api.push(update);
    h.api.push(update);
    h.api.push(h.api.textUpdate(bob, "status"));
    await h.api.waitForCall((c) => c.method === "sendMessage" && String(c.params["text"]).includes("4/4"));
    expect(h.desk.texts.map((t) => t.text)).toEqual(["restart grok-voice", "status"]);
    expect(h.desk.executed).toHaveLength(1);
  });
});

describe("the webhook", () => {
  async function webhookApp() {
    h = await startHarness({}, false);
    const app = new Hono();
    app.post("/telegram", createTelegramWebhook(h.bot, { secretToken: secret }));
    return app;
  }
  const post = (app: Hono, body: unknown, token?: string) =>
    app.request("/telegram", {
      method: "POST",
      headers: {
        "content-type": "application/json",
        ...(token === undefined ? {} : { "x-telegram-bot-api-secret-token": token }),
      },
      body: JSON.stringify(body),
    });

  it("refuses a request without or with a wrong secret (401) and runs nothing", async () => {
    const app = await webhookApp();
    const update = h!.api.textUpdate(alice, "Перезагрузи первую машину");
    expect((await post(app, update)).status).toBe(401);
    expect((await post(app, update, "wrong-secret-wrong-secret")).status).toBe(401);
    expect(h!.desk.texts).toHaveLength(0);
    expect(h!.api.calls).toHaveLength(0);
    const accepted = await post(app, update, secret);
    expect(accepted.status).toBe(200);
    expect(h!.desk.texts).toHaveLength(1);
    expect((await post(app, update, secret)).status).toBe(200);
    expect(h!.desk.texts).toHaveLength(1);
  });

  it("takes Telegram's POSTs on a real server, and setWebhook registers the secret", async () => {
    const app = await webhookApp();
    const server = serve({ fetch: app.fetch, hostname: "127.0.0.1", port: 0 });
    try {
      await new Promise<void>((resolve) => server.once("listening", () => resolve()));
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/telegram`;
      await setTelegramWebhook(h!.bot.api, url, secret);
      expect(h!.api.state.webhook).toEqual({ url, secret_token: secret });
      const update = h!.api.textUpdate(bob, "status");
      expect((await h!.api.postToWebhook(url, update)).status).toBe(401);
      expect((await h!.api.postToWebhook(url, update, secret)).status).toBe(200);
      expect(h!.api.callsOf("sendMessage")[0]?.params["text"]).toContain("4/4 active");
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  it("answers 200 even when the Bot API refuses the reply, and reports the failure", async () => {
    const app = await webhookApp();
    h!.api.failNext("sendMessage", 0, 10);
    const response = await post(app, h!.api.textUpdate(bob, "status"), secret);
    expect(response.status).toBe(200);
    expect(h!.errors.map(String).join("\n")).toContain("429");
  });

  it("cannot be created without a strong secret", async () => {
    h = await startHarness({}, false);
    expect(() => createTelegramWebhook(h!.bot, { secretToken: "" })).toThrow(/TELEGRAM_WEBHOOK_SECRET/);
    expect(() => createTelegramWebhook(h!.bot, { secretToken: "short" })).toThrow(/16\.\.256/);
  });
});
