/**
 * The Worker's entry for Telegram: a Hono handler that refuses (401) any request without the right
 * X-Telegram-Bot-Api-Secret-Token before reading it or calling anything, answers 503 (Telegram
 * delivers again) while the bot's identity is not known within a short deadline, and hands the
 * update to the bot otherwise.
 */
import { type Api, type Bot, webhookCallback } from "grammy";
import type { Update } from "grammy/types";
import { secretsEqual } from "../core/credentials.ts";
import { createBotIdentity } from "./bot-identity.ts";

/** The part of a Hono context the handler uses (the shape of grammY's "hono" adapter). */
export interface WebhookContext {
  readonly req: {
    json: <T>() => Promise<T>;
    header: (header: string) => string | undefined;
  };
  body(data: string): Response;
  body(data: null, status: 204): Response;
  // biome-ignore lint/suspicious/noExplicitAny: grammY's adapter type takes any status
  status: (status: any) => void;
  json: (json: string) => Response;
}

/** Options of the webhook handler. */
export interface TelegramWebhookOptions {
  /** The secret given to setWebhook: 16..256 characters of A-Z a-z 0-9 _ -. */
  readonly secretToken: string;
  /** After this long Telegram gets its 200 while the work goes on (default 25 s). */
  readonly timeoutMilliseconds?: number;
  /** How long an update waits for the bot's identity (getMe) before a 503 (default 5 s). */
  readonly identityWaitMilliseconds?: number;
  /** Problems worth a log line (getMe failed); never the token or the secret. */
  readonly onError?: (message: string) => void;
}

const SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token";

/** Throws when a webhook secret is missing or weak; returns it otherwise. */
export function checkWebhookSecret(secret: string | undefined): string {
  if (!secret || !/^[A-Za-z0-9_-]{16,256}$/.test(secret)) {
    throw new Error("TELEGRAM_WEBHOOK_SECRET must be 16..256 characters of A-Z, a-z, 0-9, _ and -");
  }
  return secret;
}

/** Creates the handler to mount on the Hono route Telegram posts to (e.g. app.post("/telegram", h)). */
export function createTelegramWebhook(
  bot: Bot,
  options: TelegramWebhookOptions,
): (c: WebhookContext) => Promise<Response> {
  const secretToken = checkWebhookSecret(options.secretToken);
  const identityWaitMs = options.identityWaitMilliseconds ?? 5_000;
  const identity = createBotIdentity(bot, options.onError ? { onError: options.onError } : {});
  identity.prefetch();
  const handle = webhookCallback(bot, "hono", {
    secretToken,
    onTimeout: "return",
    timeoutMilliseconds: options.timeoutMilliseconds ?? 25_000,
  });
  return async (c) => {
    // The secret first: a request without it costs no body read and no call to the Bot API.
    const given = c.req.header(SECRET_HEADER);
    if (given === undefined || !(await secretsEqual(given, secretToken)))
      return Response.json(
        { error: "unauthorized", message: "This endpoint takes updates from Telegram only." },
        { status: 401 },
      );
    if (!(await identity.ready(identityWaitMs)))
      return Response.json(
        {
          error: "unavailable",
          message:
            "The bot does not know its own identity yet because Telegram's getMe has not answered; Telegram will deliver this update again.",
        },
        { status: 503, headers: { "retry-after": "30" } },
      );
    return handle(c);
  };
}

/** Points Telegram at the webhook with the secret (run once on deploy). */
export async function setTelegramWebhook(api: Api, url: string, secretToken: string): Promise<void> {
  const allowed_updates: readonly Exclude<keyof Update, "update_id">[] = ["message", "callback_query"];
  await api.setWebhook(url, { secret_token: checkWebhookSecret(secretToken), allowed_updates });
}
