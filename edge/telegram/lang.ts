/** Which language to answer in: the words themselves first, then Telegram's language_code. */
import type { Lang } from "../core/desk.ts";

/** Maps Telegram's language_code to a reply language (Russian for ru and its neighbours, else English). */
export function langFromCode(code: string | undefined): Lang {
  return /^(ru|uk|be|kk)\b/i.test(code ?? "") ? "ru" : "en";
}

/** Detects the language of a command by its letters, or undefined when they do not say. */
export function detectLang(text: string): Lang | undefined {
  const cyrillic = text.match(/[а-яё]/gi)?.length ?? 0;
  const latin = text.match(/[a-z]/gi)?.length ?? 0;
  if (cyrillic === 0 && latin === 0) return undefined;
  return cyrillic >= latin ? "ru" : "en";
}

/** Reads a provider's language name or code ("ru", "russian", "en", "english"). */
export function langFromName(name: string | undefined): Lang | undefined {
  const n = (name ?? "").toLowerCase();
  if (n === "ru" || n === "russian") return "ru";
  if (n === "en" || n === "english") return "en";
  return undefined;
}
