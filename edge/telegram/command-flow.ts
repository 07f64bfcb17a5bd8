/**
 * One command from a human to the desk and back: typing while the desk works, progress notes in an
 * edited status message, the answer in HTML with its buttons, then the spoken answer if the user wants it.
 */
import { InputFile } from "grammy";
import type { Actor } from "../core/actors.ts";
import type { Lang, Reply, TextRequest } from "../core/desk.ts";
import type { BotDeps } from "./bot-deps.ts";
import { inlineKeyboard, replyHtml } from "./html.ts";
import { createStatusMessage, keepChatAction, type StatusMessage } from "./status-message.ts";
import { phrases } from "./texts.ts";
import { sendVoiceReply } from "./voice-reply.ts";

/** A command to run for one user in their chat. */
export interface CommandRequest {
  readonly actor: Actor;
  readonly userId: number;
  readonly chatId: number;
  readonly text: string;
  readonly lang: Lang;
  /** An already open status message (the voice echo), if any. */
  readonly status?: StatusMessage;
  /** Characters the status header takes, so the answer still fits. */
  readonly headerChars?: number;
  /** Set for a speech transcript: an uncertain changing action is read back for one tap. */
  readonly spoken?: TextRequest["spoken"];
}

/** Runs one command through the desk and shows the answer. */
export async function runCommand(deps: BotDeps, request: CommandRequest): Promise<void> {
  const { api } = deps;
  const { chatId } = request;
  const status = request.status ?? createStatusMessage(api, chatId, undefined, deps.onError);
  const stopTyping = keepChatAction(api, chatId, "typing", deps.onError);
  let reply: Reply;
  try {
    reply = await deps.desk.handleText({
      actor: request.actor,
      text: request.text,
      lang: request.lang,
      onProgress: (note) => status.note(note),
      ...(request.spoken ? { spoken: request.spoken } : {}),
    });
  } catch (error) {
    deps.onError(error);
    reply = { text: phrases.failed[request.lang], lang: request.lang };
  } finally {
    stopTyping();
  }
  await showReply(deps, request.userId, chatId, reply, status, request.headerChars ?? 0);
}

/** Shows a desk reply in a chat (through `status` when given) and speaks it if the user wants. */
export async function showReply(
  deps: BotDeps,
  userId: number,
  chatId: number,
  reply: Reply,
  status?: StatusMessage,
  headerChars = 0,
): Promise<void> {
  const markup = inlineKeyboard(reply.buttons, (button) =>
    deps.onError(new Error(`desk button "${button.label}" has callback data over 64 bytes; dropped`)),
  );
  const html = replyHtml(reply.text, headerChars + 2);
  const target = status ?? createStatusMessage(deps.api, chatId, undefined, deps.onError);
  await target.finish(html, markup);
  if (reply.document)
    await deps.api
      .sendDocument(chatId, new InputFile(new TextEncoder().encode(reply.document.text), reply.document.name))
      .catch(deps.onError);
  const preference = await deps.preferences.get(userId);
  if (preference.lang !== reply.lang) await deps.preferences.update(userId, { lang: reply.lang });
  if (preference.voiceReplies && deps.tts) {
    await sendVoiceReply(deps.api, chatId, deps.tts, reply.text, reply.lang, deps.onError).catch(
      deps.onError,
    );
  }
}
