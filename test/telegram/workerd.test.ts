import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { build } from "esbuild";
import { Miniflare } from "miniflare";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { oggOpusProblem } from "../stand-ins/bot-api/ogg-opus.ts";
import { type BotApiStandIn, startBotApiStandIn } from "../stand-ins/bot-api.ts";
import { type SpeechApiStandIn, startSpeechApiStandIn } from "../stand-ins/speech-api.ts";
import { alice, bob, mallory } from "./harness.ts";

const secret = "workerd-webhook-secret-0123456789";
const key = "sk-workerd-speech";
let api: BotApiStandIn;
let speech: SpeechApiStandIn;
let mf: Miniflare;

beforeAll(async () => {
  api = await startBotApiStandIn();
  for (const user of [alice, bob, mallory]) api.addUser(user);
  speech = await startSpeechApiStandIn({ apiKey: key, promptMustInclude: ["grok-voice"] });
  await speech.scriptManifest(join(import.meta.dirname, "../fixtures/voice"));
  // The browser/workerd build of grammY, no nodejs_compat: the bot must not need Node.
  const bundle = await build({
    entryPoints: [join(import.meta.dirname, "workerd/worker.ts")],
    bundle: true,
    write: false,
    format: "esm",
    platform: "neutral",
    conditions: ["workerd", "worker", "browser"],
    mainFields: ["browser", "module", "main"],
    logLevel: "silent",
  });
  const env: Record<string, string> = {
    TELEGRAM_BOT_TOKEN: api.token,
    TELEGRAM_API_ROOT: api.apiRoot,
    TELEGRAM_WEBHOOK_SECRET: secret,
    TELEGRAM_USERS: `${alice.id}:admin,${bob.id}:operator`,
    TELEGRAM_BOT_INFO: JSON.stringify(api.botInfo),
    STT_PROVIDER: "openai",
    STT_BASE_URL: speech.baseUrl,
    STT_API_KEY: key,
    TTS_PROVIDER: "openai",
    TTS_BASE_URL: speech.baseUrl,
    TTS_API_KEY: key,
  };
  mf = new Miniflare({
    workers: [
      {
        config: {
          name: "bot",
          compatibilityDate: "2025-01-01",
          manifest: {
            mainModule: "worker.mjs",
            modules: { "worker.mjs": { type: "esm", contents: bundle.outputFiles[0]?.text ?? "" } },
          },
          env: Object.fromEntries(
            Object.entries(env).map(([name, value]) => [name, { type: "json" as const, value }]),
          ),
        },
      },
    ],
  });
}, 30_000);
afterAll(async () => {
  await mf?.dispose();
  await speech?.close();
  await api?.close();
});

const post = (update: unknown, token?: string) =>
  mf.dispatchFetch("http://worker/telegram", {
    method: "POST",
    headers: {
      "content-type": "application/json",
      ...(token ? { "x-telegram-bot-api-secret-token": token } : {}),
    },
    body: JSON.stringify(update),
  });

describe("the bot inside workerd (Miniflare)", () => {
  it("refuses a webhook call without the secret and handles one with it", async () => {
    const update = api.textUpdate(bob, "Check the status of all services");
    expect((await post(update)).status).toBe(401);
    expect(api.calls).toHaveLength(0);
    expect((await post(update, secret)).status).toBe(200);
    expect(api.callsOf("sendMessage")[0]?.params["text"]).toContain("4/4 active");
  });

  it("runs a Russian voice command and sends an Ogg/Opus voice reply", async () => {
    const audio = new Uint8Array(
      await readFile(join(import.meta.dirname, "../fixtures/voice/ru-restart-voice.oga")),
    );
    expect((await post(api.textUpdate(alice, "/voice on"), secret)).status).toBe(200);
    expect((await post(api.voiceUpdate(alice, { bytes: audio }), secret)).status).toBe(200);
    const seen = (await (await mf.dispatchFetch("http://worker/seen")).json()) as {
      texts: string[][];
      errors: string[];
    };
    expect(seen.errors).toEqual([]);
    expect(seen.texts.at(-1)).toEqual(["Перезапусти voice сервис", "ru"]);
    const voice = api.callsOf("sendVoice").at(-1);
    expect(voice?.ok).toBe(true);
    expect(oggOpusProblem(voice?.upload ?? new Uint8Array())).toBeUndefined();
  });

  it("refuses a stranger", async () => {
    expect((await post(api.textUpdate(mallory, "reboot"), secret)).status).toBe(200);
    expect(api.callsOf("sendMessage").at(-1)?.params).toMatchObject({
      chat_id: mallory.id,
      text: expect.stringContaining("Access denied"),
    });
  });
});
