/**
 * A pressed inline button: the desk decides (with the presser's actor, so requester-only, one-time and
 * expiry hold there); the bot always answers the callback query, and, in the presser's own chat, drops
 * the buttons and shows the outcome. A press in someone else's chat changes nothing there.
 */
import type { CallbackQuery } from "grammy/types";
import type { Actor } from "../core/actors.ts";
import type { Lang, Reply } from "../core/desk.ts";
import type { BotDeps } from "./bot-deps.ts";
import { showReply } from "./command-flow.ts";
import { fitText } from "./html.ts";
import { createStatusMessage, isNotModified } from "./status-message.ts";
import { phrases } from "./texts.ts";

/** Handles one callback query with data from an allowed user. */
export async function runButton(
  deps: BotDeps,
  actor: Actor,
  query: CallbackQuery,
  lang: Lang,
): Promise<void> {
  const { api } = deps;
  let answered = false;
  const answer = async (text: string) => {
    if (answered) return;
    answered = true;
    await api
      .answerCallbackQuery(query.id, { text: fitText(text.split("\n")[0] ?? text, 200) })
      .catch(deps.onError);
  };
  // A slow decision (an action that runs on confirmation) must not leave the spinner turning.
  const slow = setTimeout(() => void answer(phrases.working[lang]), deps.buttonAnswerMs);
  // Progress of what the press runs goes to a status message in the presser's own chat, which the
  // answer then replaces.
  const own = query.message && query.message.chat.id === query.from.id ? query.message.chat.id : undefined;
  const status = own === undefined ? undefined : createStatusMessage(api, own, undefined, deps.onError);
  let reply: Reply;
  try {
    reply = await deps.desk.handleButton({
      actor,
      data: query.data ?? "",
      lang,
      ...(status ? { onProgress: (note: string) => status.note(note) } : {}),
    });
  } catch (error) {
    deps.onError(error);
    reply = { text: phrases.failed[lang], lang };
  } finally {
    clearTimeout(slow);
  }
  await answer(reply.text);
  const message = query.message;
  if (!message || message.chat.id !== query.from.id) return;
  try {
    await api.editMessageReplyMarkup(message.chat.id, message.message_id, {
      reply_markup: { inline_keyboard: [] },
    });
  } catch (error) {
    if (!isNotModified(error)) deps.onError(error);
  }
  await showReply(deps, query.from.id, message.chat.id, reply, status);
}
