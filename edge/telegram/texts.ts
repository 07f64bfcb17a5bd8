/** The bot's own words, in Russian and English; short, for a phone. Everything else comes from the desk. */
import { actionHelpLines } from "../core/action-help.ts";
import type { Lang } from "../core/desk.ts";

type Phrase = Readonly<Record<Lang, string>>;

/** Fixed phrases. */
export const phrases = {
  refusal: {
    ru: "⛔ Доступ закрыт: этот бот работает только для своих операторов.",
    en: "⛔ Access denied: this bot serves its operators only.",
  },
  help: {
    ru: [
      "Я управляю серверами по голосу и тексту. Примеры:",
      "• Проверь статус всех сервисов",
      "• Покажи логи admin-api",
      "• Перезапусти grok-voice",
      "• Перезагрузи первую машину",
      "",
      "Рискованные действия я прошу подтвердить кнопкой (60 с).",
      "/status — статус, /voice — голосовые ответы вкл/выкл, /help — эта справка.",
    ].join("\n"),
    en: [
      "I run your servers by voice or text. For example:",
      "• Check the status of all services",
      "• Show me the admin-api logs",
      "• Restart grok-voice",
      "• Reboot the first machine",
      "",
      "Risky actions wait for a confirmation button (60 s).",
      "/status — status, /voice — voice replies on/off, /help — this help.",
    ].join("\n"),
  },
  sttOff: {
    ru: "🎤 Распознавание речи не настроено (STT_PROVIDER). Напишите команду текстом.",
    en: "🎤 Speech recognition is not configured (STT_PROVIDER). Please type the command.",
  },
  nothingHeard: {
    ru: "🎤 Не расслышал. Повторите или напишите текстом.",
    en: "🎤 I heard nothing. Say it again or type it.",
  },
  voiceOn: { ru: "🔊 Голосовые ответы включены.", en: "🔊 Voice replies are on." },
  voiceOff: { ru: "🔇 Голосовые ответы выключены.", en: "🔇 Voice replies are off." },
  ttsOff: {
    ru: "🔇 Синтез речи не настроен (TTS_PROVIDER), отвечаю только текстом.",
    en: "🔇 Text to speech is not configured (TTS_PROVIDER); I answer in text only.",
  },
  failed: {
    ru: "⚠️ Не получилось обработать запрос (внутренняя ошибка). Попробуйте ещё раз.",
    en: "⚠️ Could not handle the request (internal error). Please try again.",
  },
  working: { ru: "⏳ Выполняю…", en: "⏳ Working…" },
  unsupported: {
    ru: "Пришлите текст или голосовое сообщение.",
    en: "Send me text or a voice message.",
  },
} satisfies Record<string, Phrase>;

/** The help text with what the actions do; /voice is mentioned only where spoken replies can work (text to speech configured). */
export function helpPhrase(lang: Lang, voice: boolean): string {
  const help = [phrases.help[lang], "", ...actionHelpLines(lang)].join("\n");
  if (voice) return help;
  return help
    .replace(", /voice — голосовые ответы вкл/выкл", "")
    .replace(", /voice — voice replies on/off", "");
}

/** The voice note is over the Bot API's 20 MB download limit. */
export function voiceTooBig(lang: Lang, bytes: number): string {
  const mb = (bytes / 1024 / 1024).toFixed(1);
  return lang === "ru"
    ? `🎤 Голосовое слишком большое (${mb} МБ): Telegram отдаёт ботам файлы до 20 МБ. Запишите покороче или напишите текстом.`
    : `🎤 The voice message is too large (${mb} MB): Telegram lets bots download files up to 20 MB. Record a shorter one or type it.`;
}

/** Speech recognition failed; says whether trying again may help. */
export function sttFailed(lang: Lang, retryable: boolean): string {
  if (lang === "ru") {
    return retryable
      ? "🎤 Сервис распознавания речи сейчас не ответил. Повторите через минуту или напишите текстом."
      : "🎤 Не удалось распознать голосовое (ошибка настройки распознавания). Напишите команду текстом.";
  }
  return retryable
    ? "🎤 The speech service did not answer just now. Try again in a minute or type the command."
    : "🎤 Could not transcribe the voice message (speech settings error). Please type the command.";
}

/** Downloading the voice note from Telegram failed. */
export function downloadFailed(lang: Lang): string {
  return lang === "ru"
    ? "🎤 Не удалось скачать голосовое из Telegram. Отправьте ещё раз."
    : "🎤 Could not download the voice message from Telegram. Please send it again.";
}
