/**
 * The Worker's entry for Telegram: a Hono handler that refuses (401) any request without the right
 * X-Telegram-Bot-Api-Secret-Token before reading it, and hands the update to the bot otherwise.
 */
import { type Api, type Bot, webhookCallback } from "grammy";
import type { Update } from "grammy/types";

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
}

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
  return webhookCallback(bot, "hono", {
    secretToken,
    onTimeout: "return",
    timeoutMilliseconds: options.timeoutMilliseconds ?? 25_000,
  });
}

/** Points Telegram at the webhook with the secret (run once on deploy). */
export async function setTelegramWebhook(api: Api, url: string, secretToken: string): Promise<void> {
  const allowed_updates: readonly Exclude<keyof Update, "update_id">[] = ["message", "callback_query"];
  await api.setWebhook(url, { secret_token: checkWebhookSecret(secretToken), allowed_updates });
}
