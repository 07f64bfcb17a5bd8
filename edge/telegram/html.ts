/** Telegram HTML parse mode: escaping, fitting into one message, and inline keyboards from desk buttons. */
import type { InlineKeyboardMarkup } from "grammy/types";
import type { ReplyButton } from "../core/desk.ts";

/** The Bot API's limit on a message's text, in characters after entity parsing. */
export const messageLimit = 4096;

/** Escapes text for HTML parse mode (<, > and & become entities). */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** Cuts plain text so it fits `limit` characters, marking the cut with an ellipsis. */
export function fitText(text: string, limit: number): string {
  if (text.length <= limit) return text;
  let cut = text.slice(0, Math.max(0, limit - 1));
  // Do not leave half of a surrogate pair at the end.
  if (/[\ud800-\udbff]$/.test(cut)) cut = cut.slice(0, -1);
  return `${cut}…`;
}

/** Plain desk text as HTML, fitted into a message that also carries `reservedChars` of other text. */
export function replyHtml(text: string, reservedChars = 0): string {
  return escapeHtml(fitText(text.trim() || "…", messageLimit - reservedChars));
}

/** An inline keyboard from desk buttons; buttons whose data exceed 64 bytes are dropped and reported. */
export function inlineKeyboard(
  rows: readonly (readonly ReplyButton[])[] | undefined,
  onDropped?: (button: ReplyButton) => void,
): InlineKeyboardMarkup | undefined {
  if (!rows) return undefined;
  const encoder = new TextEncoder();
  const keyboard = rows
    .map((row) =>
      row
        .filter((button) => {
          const size = encoder.encode(button.data).length;
          const ok = size >= 1 && size <= 64 && button.label.trim() !== "";
          if (!ok) onDropped?.(button);
          return ok;
        })
        .map((button) => ({ text: fitText(button.label, 64), callback_data: button.data })),
    )
    .filter((row) => row.length > 0);
  return keyboard.length > 0 ? { inline_keyboard: keyboard } : undefined;
}
