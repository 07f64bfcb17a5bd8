/** Reads the bot's settings from the controller's typed settings: TELEGRAM_BOT_TOKEN, TELEGRAM_API_ROOT, users, webhook. */

import type { UserFromGetMe } from "grammy/types";
import type { EdgeSettings } from "../../protocol/settings/edge-settings.ts";
import { parseTelegramUsers, type TelegramUsers } from "./users.ts";
import { checkWebhookSecret } from "./webhook.ts";

/** The bot's settings; absent when TELEGRAM_BOT_TOKEN is not set (the bot is off). */
export interface TelegramConfig {
  readonly token: string;
  readonly apiRoot?: string;
  readonly users: TelegramUsers;
  /** Required on the Worker (webhook mode); unused by long polling. */
  readonly webhookSecret?: string;
  /** TELEGRAM_BOT_INFO: the getMe answer as JSON, so no request calls getMe. */
  readonly botInfo?: UserFromGetMe;
}

/** The settings the bot is built from. */
export type TelegramSettings = Partial<
  Pick<
    EdgeSettings,
    | "TELEGRAM_BOT_TOKEN"
    | "TELEGRAM_API_ROOT"
    | "TELEGRAM_USERS"
    | "TELEGRAM_ADMINS"
    | "TELEGRAM_WEBHOOK_SECRET"
    | "TELEGRAM_BOT_INFO"
  >
>;

/**
 * Parses TELEGRAM_BOT_TOKEN, TELEGRAM_API_ROOT, TELEGRAM_USERS ("id:role,..."), TELEGRAM_ADMINS
 * ("id,..."), TELEGRAM_WEBHOOK_SECRET and TELEGRAM_BOT_INFO; throws an Error naming the bad setting
 * (never echoing the token or the secret).
 */
export function parseTelegramConfig(env: TelegramSettings): TelegramConfig | undefined {
  const text = (key: keyof TelegramSettings) => {
    const value = env[key];
    return typeof value === "string" && value.trim() !== "" ? value.trim() : undefined;
  };
  const token = text("TELEGRAM_BOT_TOKEN");
  if (!token) return undefined;
  if (!/^\d+:[A-Za-z0-9_-]{10,}$/.test(token))
    throw new Error(
      "TELEGRAM_BOT_TOKEN does not look like a bot token: @BotFather gives one like 123456789:AAE… (the bot's number, a colon, then letters, digits, _ and -)",
    );
  const users = parseTelegramUsers({
    TELEGRAM_USERS: text("TELEGRAM_USERS"),
    TELEGRAM_ADMINS: text("TELEGRAM_ADMINS"),
  });
  if (users.size === 0)
    throw new Error(
      "TELEGRAM_BOT_TOKEN is set but no user may use the bot: set TELEGRAM_ADMINS or TELEGRAM_USERS",
    );
  const apiRoot = text("TELEGRAM_API_ROOT");
  if (apiRoot && (!URL.canParse(apiRoot) || !/^https?:$/.test(new URL(apiRoot).protocol))) {
    throw new Error("TELEGRAM_API_ROOT must be an http(s) URL");
  }
  const secret = text("TELEGRAM_WEBHOOK_SECRET");
  const botInfo = parseBotInfo(text("TELEGRAM_BOT_INFO"), token);
  return {
    token,
    users,
    ...(apiRoot ? { apiRoot: apiRoot.replace(/\/+$/, "") } : {}),
    ...(secret ? { webhookSecret: checkWebhookSecret(secret) } : {}),
    ...(botInfo ? { botInfo } : {}),
  };
}

function parseBotInfo(json: string | undefined, token: string): UserFromGetMe | undefined {
  if (!json) return undefined;
  let info: unknown;
  try {
    info = JSON.parse(json);
  } catch {
    throw new Error("TELEGRAM_BOT_INFO must be the JSON of getMe");
  }
  const record = (typeof info === "object" && info !== null ? info : {}) as Record<string, unknown>;
  if (
    record["is_bot"] !== true ||
    typeof record["id"] !== "number" ||
    typeof record["username"] !== "string"
  ) {
    throw new Error("TELEGRAM_BOT_INFO must be the JSON of getMe (id, is_bot, username, ...)");
  }
  if (String(record["id"]) !== token.split(":")[0])
    throw new Error("TELEGRAM_BOT_INFO belongs to another bot than TELEGRAM_BOT_TOKEN");
  return record as unknown as UserFromGetMe;
}
