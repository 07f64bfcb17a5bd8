/** Which language to answer in: the words themselves first, then Telegram's language_code. */
import type { Lang } from "../core/desk.ts";

/** Maps Telegram's language_code to a reply language (Russian for ru and its neighbours, else English). */
export function langFromCode(code: string | undefined): Lang {
  return /^(ru|uk|be|kk)\b/i.test(code ?? "") ? "ru" : "en";
}

/**
 * Detects the language of a command by its letters, or undefined when they do not say. Any Cyrillic
 * word makes it Russian: Russian commands are full of Latin service names ("Добавь endpoint /health в
 * admin-api"), English ones carry no Cyrillic.
 */
export function detectLang(text: string): Lang | undefined {
  if (/[а-яё]/i.test(text)) return "ru";
  return /[a-z]/i.test(text) ? "en" : undefined;
}

/** Reads a provider's language name or code ("ru", "russian", "en", "english"). */
export function langFromName(name: string | undefined): Lang | undefined {
  const n = (name ?? "").toLowerCase();
  if (n === "ru" || n === "russian") return "ru";
  if (n === "en" || n === "english") return "en";
  return undefined;
}
