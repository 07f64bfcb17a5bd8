/** Updates as Telegram would send them, from given users (test code). */
import type { Update } from "grammy/types";
import type { StandInUser } from "../bot-api.ts";
import { type BotApiState, messageKey } from "./state.ts";

/** The update builders of the stand-in. */
export interface UpdateBuilders {
  textUpdate(user: StandInUser, text: string): Update;
  voiceUpdate(
    user: StandInUser,
    voice: { bytes?: Uint8Array; file_size?: number; duration?: number },
  ): Update;
  callbackUpdate(user: StandInUser, message: { chat_id: number; message_id: number }, data: string): Update;
}

/** Creates builders that allocate ids in `state` and register voice files and callback queries there. */
export function createUpdateBuilders(state: BotApiState): UpdateBuilders {
  const botInfo = state.bot;
  let fileCount = 0;
  let queryCount = 0;
  const nextUpdate = (fields: Omit<Update, "update_id">): Update =>
    ({ update_id: state.nextUpdateId++, ...fields }) as Update;
  const from = (user: StandInUser) => ({ ...user, is_bot: false });
  const chat = (user: StandInUser) => ({
    id: user.id,
    type: "private" as const,
    first_name: user.first_name,
  });
  const userMessageId = (chatId: number) => {
    const id = state.nextMessageId.get(chatId) ?? 1;
    state.nextMessageId.set(chatId, id + 1);
    state.messages.set(messageKey(chatId, id), {
      chat_id: chatId,
      message_id: id,
      kind: "text",
      from_bot: false,
    });
    return id;
  };

  return {
    textUpdate(user, text) {
      const entities = text.startsWith("/")
        ? [{ type: "bot_command" as const, offset: 0, length: text.split(/\s/, 1)[0]?.length ?? 0 }]
        : undefined;
      return nextUpdate({
        message: {
          message_id: userMessageId(user.id),
          date: Math.floor(Date.now() / 1000),
          chat: chat(user),
          from: from(user),
          text,
          ...(entities ? { entities } : {}),
        },
      } as Omit<Update, "update_id">);
    },
    voiceUpdate(user, voice) {
      fileCount++;
      const file_id = `VOICE${fileCount}`;
      const file_size = voice.file_size ?? voice.bytes?.length ?? 0;
      state.files.set(file_id, {
        file_id,
        file_unique_id: `uv${fileCount}`,
        file_size,
        file_path: `voice/file_${fileCount}.oga`,
        ...(voice.bytes ? { bytes: voice.bytes } : {}),
      });
      return nextUpdate({
        message: {
          message_id: userMessageId(user.id),
          date: Math.floor(Date.now() / 1000),
          chat: chat(user),
          from: from(user),
          voice: {
            file_id,
            file_unique_id: `uv${fileCount}`,
            duration: voice.duration ?? 2,
            mime_type: "audio/ogg",
            file_size,
          },
        },
      } as Omit<Update, "update_id">);
    },
    callbackUpdate(user, message, data) {
      const id = `${Date.now()}${++queryCount}`;
      state.callbackQueries.set(id, { answered: false });
      const stored = state.messages.get(messageKey(message.chat_id, message.message_id));
      return nextUpdate({
        callback_query: {
          id,
          from: from(user),
          chat_instance: `ci${message.chat_id}`,
          data,
          message: {
            message_id: message.message_id,
            date: Math.floor(Date.now() / 1000),
            chat: { id: message.chat_id, type: "private", first_name: "owner" },
            from: botInfo,
            ...(stored?.text !== undefined ? { text: stored.text } : {}),
            ...(stored?.reply_markup ? { reply_markup: stored.reply_markup } : {}),
          },
        },
      } as Omit<Update, "update_id">);
    },
  };
}
