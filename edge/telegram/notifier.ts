/** Controller alerts to the admins' Telegram chats, with the buttons that make sense for each. */
import type { Api } from "grammy";
import type { Alert, Lang, Notifier } from "../core/desk.ts";
import { inlineKeyboard, replyHtml } from "./html.ts";
import type { UserPreferences } from "./user-preferences.ts";

/** Where alerts go and in which language. */
export interface TelegramNotifierOptions {
  /** The bot's API (with its rate limiter): `bot.api`. */
  readonly api: Api;
  /** The admins' private chats (their user ids). */
  readonly adminChatIds: readonly number[];
  /** Each admin's language as the bot last saw it. */
  readonly preferences?: UserPreferences;
  readonly defaultLang?: Lang;
  readonly onError?: (error: unknown) => void;
}

const icons: Record<Alert["severity"], string> = { info: "ℹ️", warning: "⚠️", critical: "🚨" };

/** Creates a Notifier; notify() rejects only when no admin chat got the alert. */
export function createTelegramNotifier(options: TelegramNotifierOptions): Notifier {
  const onError = options.onError ?? (() => undefined);
  return {
    async notify(alert) {
      const markup = inlineKeyboard(alert.buttons, (button) =>
        onError(
          new Error(`alert ${alert.key}: button "${button.label}" has callback data over 64 bytes; dropped`),
        ),
      );
      const results = await Promise.allSettled(
        options.adminChatIds.map(async (chatId) => {
          const lang = (await options.preferences?.get(chatId))?.lang ?? options.defaultLang ?? "en";
          const text = `${icons[alert.severity]} ${replyHtml(alert.text[lang], 3)}`;
          await options.api.sendMessage(chatId, text, {
            parse_mode: "HTML",
            ...(markup ? { reply_markup: markup } : {}),
          });
        }),
      );
      const failed = results.filter((r) => r.status === "rejected");
      for (const failure of failed) onError(failure.reason);
      if (options.adminChatIds.length > 0 && failed.length === options.adminChatIds.length) {
        throw new Error(`alert ${alert.key} reached no admin chat (${failed.length} failed)`, {
          cause: failed[0]?.reason,
        });
      }
    },
  };
}
