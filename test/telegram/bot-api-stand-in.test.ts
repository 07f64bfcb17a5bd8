import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type BotApiStandIn, startBotApiStandIn } from "../stand-ins/bot-api.ts";

let api: BotApiStandIn;
const chat = 1001;
beforeAll(async () => {
  api = await startBotApiStandIn();
  api.addUser({ id: chat, first_name: "A" });
});
afterAll(() => api.close());

const call = async (method: string, body: unknown, token = api.token) => {
  const response = await fetch(`${api.apiRoot}/bot${token}/${method}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
};

describe("the Bot API stand-in refuses what Telegram refuses", () => {
  it.each([
    ["an unknown method", "sendMessageNow", { chat_id: chat, text: "x" }, 404, "Not Found"],
    ["a missing chat_id", "sendMessage", { text: "x" }, 400, 'parameter "chat_id" is required'],
    ["a missing text", "sendMessage", { chat_id: chat }, 400, "message text is empty"],
    [
      "a wrongly typed chat_id",
      "sendMessage",
      { chat_id: { id: 1 }, text: "x" },
      400,
      'field "chat_id" must be of type',
    ],
    ["an unknown chat", "sendMessage", { chat_id: 5, text: "x" }, 400, "chat not found"],
    [
      "text over 4096 characters",
      "sendMessage",
      { chat_id: chat, text: "x".repeat(4097) },
      400,
      "message is too long",
    ],
    [
      "an unescaped <",
      "sendMessage",
      { chat_id: chat, text: "a < b", parse_mode: "HTML" },
      400,
      "can't parse entities",
    ],
    [
      "an unclosed tag",
      "sendMessage",
      { chat_id: chat, text: "<b>bold", parse_mode: "HTML" },
      400,
      "can't parse entities",
    ],
    [
      "callback_data over 64 bytes",
      "sendMessage",
      {
        chat_id: chat,
        text: "x",
        reply_markup: { inline_keyboard: [[{ text: "b", callback_data: "я".repeat(33) }]] },
      },
      400,
      "BUTTON_DATA_INVALID",
    ],
    [
      "an unknown chat action",
      "sendChatAction",
      { chat_id: chat, action: "dancing" },
      400,
      "wrong type of action",
    ],
    [
      "an unknown callback query",
      "answerCallbackQuery",
      { callback_query_id: "nope" },
      400,
      "query is too old",
    ],
    ["an unknown file", "getFile", { file_id: "nope" }, 400, "invalid file_id"],
  ])("%s", async (_name, method, body, status, description) => {
    const { status: got, json } = await call(method, body);
    expect(got).toBe(status);
    expect(json).toMatchObject({ ok: false, error_code: status });
    expect(String(json["description"])).toContain(description);
  });

  it("a wrong token is 401 Unauthorized", async () => {
    expect(await call("getMe", {}, "1:bad")).toEqual({
      status: 401,
      json: { ok: false, error_code: 401, description: "Unauthorized" },
    });
  });

  it("accepts well-formed HTML and counts the length after entities", async () => {
    const text = `<b>${"&lt;".repeat(4000)}</b>`;
    const { json } = await call("sendMessage", { chat_id: chat, text, parse_mode: "HTML" });
    expect(json).toMatchObject({ ok: true, result: { chat: { id: chat }, text: "<".repeat(4000) } });
  });

  it("sendVoice takes a real Ogg/Opus upload and refuses anything else", async () => {
    const voice = await readFile(join(import.meta.dirname, "../fixtures/voice/en-status.oga"));
    const good = new FormData();
    good.append("chat_id", String(chat));
    good.append("voice", new Blob([voice]), "v.ogg");
    const ok = await fetch(`${api.apiRoot}/bot${api.token}/sendVoice`, { method: "POST", body: good });
    expect(await ok.json()).toMatchObject({ ok: true, result: { voice: { file_size: voice.length } } });
    const bad = new FormData();
    bad.append("chat_id", String(chat));
    bad.append("voice", new Blob([voice.subarray(0, 200)]), "v.ogg");
    const refused = await fetch(`${api.apiRoot}/bot${api.token}/sendVoice`, { method: "POST", body: bad });
    expect(refused.status).toBe(400);
    expect(((await refused.json()) as { description: string }).description).toContain(
      "voice must be Ogg/Opus",
    );
  });

  it("getFile refuses files over 20 MB and serves registered files under /file/bot<token>/", async () => {
    const big = api.voiceUpdate({ id: chat, first_name: "A" }, { file_size: 21 * 1024 * 1024 });
    expect((await call("getFile", { file_id: big.message?.voice?.file_id })).json["description"]).toBe(
      "Bad Request: file is too big",
    );
    const small = api.voiceUpdate({ id: chat, first_name: "A" }, { bytes: new Uint8Array([1, 2, 3]) });
    const { json } = await call("getFile", { file_id: small.message?.voice?.file_id });
    const path = (json["result"] as { file_path: string }).file_path;
    const download = await fetch(`${api.apiRoot}/file/bot${api.token}/${path}`);
    expect(new Uint8Array(await download.arrayBuffer())).toEqual(new Uint8Array([1, 2, 3]));
    expect((await fetch(`${api.apiRoot}/file/bot1:bad/${path}`)).status).toBe(401);
  });

  it("getUpdates waits for an update up to its timeout and refuses while a webhook is set", async () => {
    const started = performance.now();
    const empty = await call("getUpdates", { timeout: 1 });
    expect(empty.json).toEqual({ ok: true, result: [] });
    expect(performance.now() - started).toBeGreaterThanOrEqual(900);
    await call("setWebhook", { url: "https://example.invalid/hook", secret_token: "s3cret" });
    expect((await call("getUpdates", {})).status).toBe(409);
    await call("deleteWebhook", {});
  });
});
