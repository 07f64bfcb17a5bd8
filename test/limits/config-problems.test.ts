// A configuration mistake never takes the controller down: with Workers AI named for speech and the
// LLM but no binding, a bad confirmation TTL and a misspelt setting, the Node host starts, /agent/health lists each
// problem as a sentence, the log says each once, the admins are told once (not again at the next
// start), and everything that does not depend on those settings works.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { readConfig } from "../../edge/core/config.ts";
import { startNodeHost } from "../../edge/node/server.ts";
import { type BotApiStandIn, startBotApiStandIn } from "../stand-ins/bot-api.ts";
import { alice } from "../telegram/harness.ts";

const ADMIN = "problems-admin-token-00001";
const dir = mkdtempSync(join(tmpdir(), "voxops-problems-"));
let api: BotApiStandIn | undefined;
afterAll(async () => {
  await api?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("configuration problems", () => {
  it("are reported by health, the log and the bot, and the rest keeps working", async () => {
    api = await startBotApiStandIn();
    api.addUser(alice);
    const env = {
      VOXOPS_API_TOKENS: `${ADMIN}:admin`,
      VOXOPS_SIDECAR_KEYS: "vm1=problems-key-of-vm1-01",
      STT_PROVIDER: "workers-ai",
      TTS_PROVIDER: "openai",
      LLM_PROVIDER: "workers-ai",
      VOXOPS_CONFIRM_TTL_S: "5000",
      VOXOPS_CONFRIM_TTL_S: "30",
      TELEGRAM_BOT_TOKEN: api.token,
      TELEGRAM_API_ROOT: api.apiRoot,
      TELEGRAM_USERS: `${alice.id}:admin`,
      TELEGRAM_BOT_INFO: JSON.stringify(api.botInfo),
      TELEGRAM_WEBHOOK_SECRET: "problems-webhook-secret-01",
    };
    const lines: { level: string; message: string; problem?: unknown }[] = [];
    const start = () =>
      startNodeHost({
        config: readConfig(env),
        env,
        port: 0,
        dbPath: join(dir, "controller.db"),
        log: (level, message, fields) => lines.push({ level, message, problem: fields?.["problem"] }),
      });
    const host = await start();
    const get = async (path: string) => {
      const res = await fetch(`${host.url}${path}`, { headers: { authorization: `Bearer ${ADMIN}` } });
      return { status: res.status, body: (await res.json()) as Record<string, any> };
    };
    const health = await get("/agent/health");
    expect(health.status).toBe(200);
    expect(health.body["ok"]).toBe(false);
    const problems = health.body["problems"] as string[];
    expect(problems).toEqual([
      'VOXOPS_CONFIRM_TTL_S must be a whole number of seconds from 10 to 600 (it is "5000"); confirmations stay valid 60 s.',
      "VOXOPS_CONFRIM_TTL_S is not a voxops setting and is ignored. Did you mean VOXOPS_CONFIRM_TTL_S?",
      expect.stringMatching(/^The LLM is off: .*AI binding.*\.$/),
      expect.stringMatching(
        /^Speech \(voice messages and spoken replies\) is off: STT_PROVIDER=workers-ai needs the Workers AI binding \(env\.AI\)\.$/,
      ),
    ]);
    expect(lines.filter((l) => l.message === "configuration problem").map((l) => l.problem)).toEqual(
      problems,
    );
    // What does not depend on those settings works: the API, the bot.
    expect((await get("/agent/vm/status")).status).toBe(200);
    const told = await api.waitForCall((c) => c.method === "sendMessage" && c.params["chat_id"] === alice.id);
    expect(String(told.params["text"])).toContain("STT_PROVIDER=workers-ai needs the Workers AI binding");
    const reply = await api.postToWebhook(
      `${host.url}/telegram`,
      api.textUpdate(alice, "/help"),
      env.TELEGRAM_WEBHOOK_SECRET,
    );
    expect(reply.status).toBe(200);
    await host.close();
    // The next start with the same problems does not tell the admins again.
    const toldBefore = api
      .callsOf("sendMessage")
      .filter((c) => String(c.params["text"]).includes("STT_PROVIDER")).length;
    const again = await start();
    await new Promise((r) => setTimeout(r, 500));
    expect(
      api.callsOf("sendMessage").filter((c) => String(c.params["text"]).includes("STT_PROVIDER")).length,
    ).toBe(toldBefore);
    await again.close();
  });
});
