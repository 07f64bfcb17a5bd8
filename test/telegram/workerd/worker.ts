/**
 * A Worker for the workerd test (test code): the bot's webhook on Hono with the test desk, built with
 * the browser/workerd build of grammY and no Node APIs, exactly as the Worker host will run it.
 */
import { Hono } from "hono";
import { createSpeechFromConfig } from "../../../edge/speech/speech-config.ts";
import { createBot } from "../../../edge/telegram/bot.ts";
import { parseTelegramConfig } from "../../../edge/telegram/telegram-config.ts";
import { createTelegramWebhook } from "../../../edge/telegram/webhook.ts";
import { edgeSettings } from "../../../protocol/settings/edge-settings.ts";
import { parseSettings } from "../../../protocol/settings/parse-settings.ts";
import { createTestClock, createTestDesk, type TestDesk } from "../test-desk.ts";

type Env = Record<string, string>;
let built: { app: Hono; desk: TestDesk; errors: string[] } | undefined;

function build(env: Env) {
  // The one parse of this Worker's settings, as the real Worker does it.
  const settings = parseSettings(edgeSettings, env).values;
  const config = parseTelegramConfig(settings);
  if (!config?.webhookSecret)
    throw new Error("the test worker needs TELEGRAM_BOT_TOKEN and TELEGRAM_WEBHOOK_SECRET");
  const desk = createTestDesk(createTestClock());
  const errors: string[] = [];
  const bot = createBot({
    token: config.token,
    ...(config.apiRoot ? { apiRoot: config.apiRoot } : {}),
    ...(config.botInfo ? { botInfo: config.botInfo } : {}),
    users: config.users,
    desk,
    ...createSpeechFromConfig(settings),
    speechHints: () => ["grok-voice", "admin-api", "vm1"],
    rateLimit: { minIntervalMs: 20 },
    onError: (error) => errors.push(String(error)),
  });
  const app = new Hono();
  app.post("/telegram", createTelegramWebhook(bot, { secretToken: config.webhookSecret }));
  app.get("/seen", (c) => c.json({ texts: desk.texts.map((t) => [t.text, t.lang]), errors }));
  return { app, desk, errors };
}

export default {
  fetch(request: Request, env: Env): Response | Promise<Response> {
    built ??= build(env);
    return built.app.fetch(request, env);
  },
};
