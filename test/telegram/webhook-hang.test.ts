// The Telegram webhook on the Node host when the Bot API hangs at start (the stand-in holds every
// call open): a request without the secret is refused at once and costs no Bot API call, a request
// with it answers within its deadline, getMe is fetched once in the background and cached, and a
// configured TELEGRAM_BOT_INFO means no getMe at all.
import { afterEach, describe, expect, it } from "vitest";
import { readConfig } from "../../edge/core/config.ts";
import { type NodeHost, startNodeHost } from "../../edge/node/server.ts";
import { type BotApiStandIn, startBotApiStandIn } from "../stand-ins/bot-api.ts";
import { alice } from "./harness.ts";

const SECRET = "hang-webhook-secret-000001";
let api: BotApiStandIn | undefined;
let host: NodeHost | undefined;

afterEach(async () => {
  await host?.close();
  await api?.close();
  host = undefined;
  api = undefined;
});

async function start(extra: Record<string, string> = {}): Promise<{ api: BotApiStandIn; host: NodeHost }> {
  api = await startBotApiStandIn();
  api.addUser(alice);
  api.hang(true);
  const env = {
    VOXOPS_API_TOKENS: "hang-admin-token-000001:admin",
    VOXOPS_SIDECAR_KEYS: "vm1=hang-key-of-vm1-00001",
    TELEGRAM_BOT_TOKEN: api.token,
    TELEGRAM_API_ROOT: api.apiRoot,
    TELEGRAM_WEBHOOK_SECRET: SECRET,
    TELEGRAM_USERS: `${alice.id}:admin`,
    ...extra,
  };
  host = await startNodeHost({ config: readConfig(env), env, port: 0, dbPath: ":memory:" });
  return { api, host };
}

async function post(
  url: string,
  body: unknown,
  secret?: string,
): Promise<{ status: number; ms: number; text: string }> {
  const started = performance.now();
  const res = await fetch(`${url}/telegram`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      ...(secret ? { "x-telegram-bot-api-secret-token": secret } : {}),
    },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(15_000),
  });
  return { status: res.status, ms: performance.now() - started, text: await res.text() };
}

describe("the Telegram webhook while the Bot API hangs", () => {
  it("refuses requests without the secret at once, with no call to the Bot API", async () => {
    const { api, host } = await start();
    await new Promise((r) => setTimeout(r, 200));
    const before = api.held.length;
    for (const secret of [undefined, "wrong-secret-0000000000", `${SECRET}x`]) {
      const answer = await post(host.url, api.textUpdate(alice, "status"), secret);
      expect(answer.status).toBe(401);
      expect(answer.ms).toBeLessThan(1000);
      expect(JSON.parse(answer.text).message).toBe("This endpoint takes updates from Telegram only.");
    }
    // Only the one background getMe (and the start's setMyCommands) are waiting; no request added one.
    expect(api.held.length).toBe(before);
    expect(api.held.filter((m) => m === "getMe")).toHaveLength(1);
  });

  it("answers an update within its deadline while getMe hangs, then handles updates once it answers", async () => {
    const { api, host } = await start();
    const waiting = await post(host.url, api.textUpdate(alice, "status"), SECRET);
    expect(waiting.status).toBe(503);
    expect(waiting.ms).toBeLessThan(8000);
    expect(JSON.parse(waiting.text).message).toMatch(/getMe has not answered; Telegram will deliver/);
    // Updates that arrive meanwhile share the one getMe under way, and go through once it answers.
    const later = Promise.all([1, 2, 3].map(() => post(host.url, api.textUpdate(alice, "/help"), SECRET)));
    await new Promise((r) => setTimeout(r, 500));
    expect(api.held.filter((m) => m === "getMe")).toHaveLength(1);
    api.hang(false);
    expect((await later).map((a) => a.status)).toEqual([200, 200, 200]);
    await api.waitForCall((c) => c.method === "sendMessage" && c.params["chat_id"] === alice.id);
    await post(host.url, api.textUpdate(alice, "/help"), SECRET);
    expect(api.callsOf("getMe")).toHaveLength(1);
  });

  it("never calls getMe when TELEGRAM_BOT_INFO is configured", async () => {
    const stand = await startBotApiStandIn();
    const botInfo = JSON.stringify(stand.botInfo);
    await stand.close();
    const { api, host } = await start({ TELEGRAM_BOT_INFO: botInfo });
    api.hang(false);
    const served = await post(host.url, api.textUpdate(alice, "/help"), SECRET);
    expect(served.status).toBe(200);
    await api.waitForCall((c) => c.method === "sendMessage");
    expect(api.callsOf("getMe")).toHaveLength(0);
  });
});
