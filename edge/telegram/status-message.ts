/**
 * Progress on a phone: one status message per request, edited as notes arrive (latest note wins, one
 * call in flight), and finally edited into the answer; plus a chat action kept alive while work runs.
 */
import { type Api, GrammyError } from "grammy";
import type { InlineKeyboardMarkup } from "grammy/types";
import { escapeHtml, fitText } from "./html.ts";

/** A status message for one request. */
export interface StatusMessage {
  /** Sends the header (e.g. the "🎤 «…»" echo) now, before any work. */
  open(): Promise<void>;
  /** Shows a progress note under the header. */
  note(text: string): void;
  /** Turns the status message into the answer (or sends the answer if there was none). */
  finish(html: string, markup?: InlineKeyboardMarkup): Promise<void>;
}

/** Creates a status message in `chatId`; `headerHtml` stays on top of every version. */
export function createStatusMessage(
  api: Api,
  chatId: number,
  headerHtml: string | undefined,
  onError: (error: unknown) => void,
): StatusMessage {
  let messageId: number | undefined;
  let pending: string | undefined;
  let chain: Promise<void> = Promise.resolve();
  let finished = false;
  const withHeader = (body: string) => (headerHtml ? (body ? `${headerHtml}\n${body}` : headerHtml) : body);

  const show = async (html: string, markup?: InlineKeyboardMarkup) => {
    const extra = { parse_mode: "HTML" as const, ...(markup ? { reply_markup: markup } : {}) };
    if (messageId === undefined) {
      messageId = (await api.sendMessage(chatId, html, extra)).message_id;
      return;
    }
    try {
      await api.editMessageText(chatId, messageId, html, extra);
    } catch (error) {
      if (isNotModified(error)) return;
      throw error;
    }
  };

  const flush = async () => {
    const note = pending;
    pending = undefined;
    if (note === undefined || finished) return;
    await show(withHeader(`⏳ ${escapeHtml(fitText(note, 300))}`)).catch(onError);
  };

  return {
    async open() {
      if (headerHtml) chain = chain.then(() => show(headerHtml).catch(onError));
      await chain;
    },
    note(text) {
      if (finished) return;
      const scheduled = pending !== undefined;
      pending = text;
      if (!scheduled) chain = chain.then(flush);
    },
    async finish(html, markup) {
      finished = true;
      pending = undefined;
      await chain;
      const full = headerHtml ? `${headerHtml}\n\n${html}` : html;
      try {
        await show(full, markup);
      } catch (error) {
        if (messageId === undefined) throw error;
        // The status message could not be edited (deleted, too old): send the answer anew.
        messageId = undefined;
        await show(full, markup);
      }
    },
  };
}

/** Keeps a chat action ("typing", "record_voice") showing until the returned function is called. */
export function keepChatAction(
  api: Api,
  chatId: number,
  action: "typing" | "record_voice",
  onError: (error: unknown) => void,
): () => void {
  const send = () => void api.sendChatAction(chatId, action).catch(onError);
  send();
  const timer = setInterval(send, 4500);
  return () => clearInterval(timer);
}

/** True for the Bot API's "message is not modified" refusal, which is harmless. */
export function isNotModified(error: unknown): boolean {
  return (
    error instanceof GrammyError &&
    error.error_code === 400 &&
    error.description.includes("message is not modified")
  );
}
