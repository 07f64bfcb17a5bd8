// What callers without a key leave in the audit, on the Node host over real HTTP and WebSockets:
// every unauthenticated input (refused sidecar upgrades, bad API tokens, webhook calls without the
// secret, Telegram strangers) is cleaned of control characters, clipped, and counted into one record
// per source and reason instead of one record per attempt.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import type { AuditRecord } from "../../edge/core/audit.ts";
import { readConfig } from "../../edge/core/config.ts";
import { type NodeHost, startNodeHost } from "../../edge/node/server.ts";
import { type BotApiStandIn, startBotApiStandIn } from "../stand-ins/bot-api.ts";
import { alice, mallory } from "../telegram/harness.ts";

const ADMIN = "audit-admin-token-000001";
const SECRET = "audit-webhook-secret-00001";
let api: BotApiStandIn;
let host: NodeHost;

beforeAll(async () => {
  api = await startBotApiStandIn();
  for (const user of [alice, mallory]) api.addUser(user);
  const env = {
    VOXOPS_API_TOKENS: `${ADMIN}:admin`,
    VOXOPS_SIDECAR_KEYS: "vm1=audit-key-of-vm1-00001",
    TELEGRAM_BOT_TOKEN: api.token,
    TELEGRAM_API_ROOT: api.apiRoot,
    TELEGRAM_WEBHOOK_SECRET: SECRET,
    TELEGRAM_USERS: `${alice.id}:admin`,
    TELEGRAM_BOT_INFO: JSON.stringify(api.botInfo),
  };
  host = await startNodeHost({ config: readConfig(env), env, port: 0, dbPath: ":memory:" });
});
afterAll(async () => {
  await host?.close();
  await api?.close();
});

/** Tries a sidecar upgrade and resolves with the HTTP status of the refusal. */
function upgrade(vm: string, key: string | undefined): Promise<number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${host.url.replace("http", "ws")}/sidecar?vm=${encodeURIComponent(vm)}`, {
      headers: key ? { authorization: `Bearer ${key}` } : {},
    });
    ws.on("unexpected-response", (_req, res) => {
      resolve(res.statusCode ?? 0);
      ws.terminate();
    });
    ws.on("open", () => reject(new Error("the upgrade was accepted")));
    ws.on("error", () => undefined);
  });
}

const records = (action: string): AuditRecord[] =>
  host.controller.audit.recent(1000).filter((r) => r.action === action);

describe("the audit of unauthenticated callers", () => {
  it("keeps one clean, clipped record with a count for repeated refused sidecar upgrades", async () => {
    const hostile = `vm1\u0000\u001b[31m\u202e${"x".repeat(10_000)}`;
    for (let i = 0; i < 40; i++) expect(await upgrade(hostile, "not-the-key-0000000")).toBe(403);
    for (let i = 0; i < 5; i++) expect(await upgrade(`vm${i}\u0000`, undefined)).toBe(401);
    const refused = records("sidecar-connect").filter((r) => r.outcome === "refused");
    expect(refused).toHaveLength(2);
    const wrong = refused.find((r) => r.detail?.startsWith("wrong credential"));
    expect(wrong?.count).toBe(40);
    expect(refused.find((r) => r.detail?.startsWith("no credential"))?.count).toBe(5);
    for (const r of refused) {
      const stored = JSON.stringify(r);
      expect(stored).not.toMatch(/\\u0000|\\u001b|\u202e/);
      expect(r.target.length).toBeLessThanOrEqual(65);
      expect(stored.length).toBeLessThan(700);
    }
    expect(wrong?.target).toBe(`vm1??[31m?${"x".repeat(54)}…`);
  });

  it("counts bad API tokens per source and reason without storing the tokens", async () => {
    const call = (token?: string) =>
      fetch(`${host.url}/agent/health`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
    for (let i = 0; i < 30; i++) expect((await call(`guessed-token-${i}-0000000`)).status).toBe(401);
    for (let i = 0; i < 3; i++) expect((await call()).status).toBe(401);
    const refused = records("api-auth");
    expect(refused.map((r) => [r.outcome, r.count]).sort()).toEqual([
      ["refused", 3],
      ["refused", 30],
    ]);
    expect(JSON.stringify(refused)).not.toContain("guessed-token");
  });

  it("counts webhook calls without the secret and Telegram strangers the same way", async () => {
    for (let i = 0; i < 12; i++) {
      const res = await api.postToWebhook(
        `${host.url}/telegram`,
        api.textUpdate(mallory, "hi"),
        "wrong-secret-000000",
      );
      expect(res.status).toBe(401);
    }
    expect(records("telegram-webhook").map((r) => r.count)).toEqual([12]);
    for (let i = 0; i < 4; i++) {
      const res = await api.postToWebhook(
        `${host.url}/telegram`,
        api.textUpdate(mallory, `status ${i}`),
        SECRET,
      );
      expect(res.status).toBe(200);
    }
    const strangers = records("telegram");
    expect(strangers).toHaveLength(1);
    expect(strangers[0]).toMatchObject({
      outcome: "stranger refused",
      count: 4,
      actor: { id: String(mallory.id) },
    });
  });
});
