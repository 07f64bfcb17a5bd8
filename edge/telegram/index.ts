/** The Telegram front end: what the hosts wire in. */

export { type BotOptions, createBot } from "./bot.ts";
export type { BotAudit, StrangerAttempt } from "./bot-audit.ts";
export { setBotCommands } from "./bot-commands.ts";
export { createTelegramNotifier, type TelegramNotifierOptions } from "./notifier.ts";
export { type Polling, type PollingOptions, startPolling } from "./polling.ts";
export { createRateLimitTransformer, type RateLimitOptions } from "./rate-limit.ts";
export { parseTelegramConfig, type TelegramConfig } from "./telegram-config.ts";
export { createMemoryUpdateDedupe, type UpdateDedupe } from "./update-dedupe.ts";
export {
  createMemoryUserPreferences,
  type UserPreference,
  type UserPreferences,
} from "./user-preferences.ts";
export { adminChatIds, parseTelegramUsers, type TelegramUsers } from "./users.ts";
export {
  checkWebhookSecret,
  createTelegramWebhook,
  setTelegramWebhook,
  type TelegramWebhookOptions,
} from "./webhook.ts";
