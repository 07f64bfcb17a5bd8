/**
 * The Bot API methods the stand-in implements (test code), checking what Telegram checks: text length
 * and HTML entities, inline keyboards and 64-byte callback data, known chats and messages, files the
 * Bot API can play as voice, "message is not modified", the 20 MB getFile limit.
 */
import type { InlineKeyboardMarkup, Message } from "grammy/types";
import { parseTelegramHtml } from "./html.ts";
import { oggOpusProblem } from "./ogg-opus.ts";
import type { Upload } from "./params.ts";
import { isUpload } from "./params-spec.ts";
import { type BotApiState, messageKey, nextMessageId, type StoredMessage } from "./state.ts";

/** A Bot API answer. */
export type ApiResult =
  | { ok: true; result: unknown }
  | { ok: false; error_code: number; description: string; parameters?: { retry_after?: number } };

const bad = (description: string): ApiResult => ({
  ok: false,
  error_code: 400,
  description: `Bad Request: ${description}`,
});
const chatActions = new Set([
  "typing",
  "upload_photo",
  "record_video",
  "upload_video",
  "record_voice",
  "upload_voice",
  "upload_document",
  "choose_sticker",
  "find_location",
  "record_video_note",
  "upload_video_note",
]);

/** Runs one checked call against the state (getUpdates is handled by the server, it waits). */
export function runMethod(state: BotApiState, method: string, p: Record<string, unknown>): ApiResult {
  const chatId = typeof p["chat_id"] === "number" ? p["chat_id"] : undefined;
  if ("chat_id" in p && (chatId === undefined || !state.chats.has(chatId))) return bad("chat not found");
  switch (method) {
    case "getMe":
      return { ok: true, result: state.bot };
    case "logOut":
    case "close":
      return { ok: true, result: true };
    case "setWebhook": {
      const url = String(p["url"]);
      if (!/^https?:\/\//.test(url)) return bad("bad webhook: An HTTPS URL must be provided for webhook");
      const secret = p["secret_token"];
      if (typeof secret === "string" && !/^[A-Za-z0-9_-]{1,256}$/.test(secret))
        return bad("secret token contains unallowed characters");
      state.webhook = { url, ...(typeof secret === "string" ? { secret_token: secret } : {}) };
      if (p["drop_pending_updates"] === true) state.updates.length = 0;
      return { ok: true, result: true };
    }
    case "deleteWebhook":
      state.webhook = undefined;
      if (p["drop_pending_updates"] === true) state.updates.length = 0;
      return { ok: true, result: true };
    case "getWebhookInfo":
      return {
        ok: true,
        result: {
          url: state.webhook?.url ?? "",
          has_custom_certificate: false,
          pending_update_count: state.updates.length,
        },
      };
    case "sendMessage": {
      const text = checkText(String(p["text"]), p["parse_mode"]);
      if ("error" in text) return text.error;
      const markup = checkMarkup(p["reply_markup"]);
      if (typeof markup === "object" && "ok" in markup) return markup;
      return {
        ok: true,
        result: store(state, chatId!, "text", {
          text: text.plain,
          ...(markup ? { reply_markup: markup } : {}),
        }),
      };
    }
    case "editMessageText":
    case "editMessageReplyMarkup": {
      if (p["inline_message_id"] !== undefined)
        return bad("inline messages are not supported by the stand-in");
      if (chatId === undefined || typeof p["message_id"] !== "number")
        return bad("message identifier is not specified");
      const message = state.messages.get(messageKey(chatId, p["message_id"]));
      if (!message) return bad("message to edit not found");
      if (!message.from_bot) return bad("message can't be edited");
      const markup = checkMarkup(p["reply_markup"]);
      if (typeof markup === "object" && "ok" in markup) return markup;
      let text = message.text;
      if (method === "editMessageText") {
        if (message.kind !== "text") return bad("there is no text in the message to edit");
        const checked = checkText(String(p["text"]), p["parse_mode"]);
        if ("error" in checked) return checked.error;
        text = checked.plain;
      }
      const sameMarkup =
        JSON.stringify(markup?.inline_keyboard ?? []) ===
        JSON.stringify(message.reply_markup?.inline_keyboard ?? []);
      if (text === message.text && sameMarkup) {
        return bad(
          "message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message",
        );
      }
      if (text !== undefined) message.text = text;
      if (markup) message.reply_markup = markup;
      else delete message.reply_markup;
      return { ok: true, result: toMessage(state, message) };
    }
    case "answerCallbackQuery": {
      const query = state.callbackQueries.get(String(p["callback_query_id"]));
      if (!query || query.answered)
        return bad("query is too old and response timeout expired or query ID is invalid");
      if (typeof p["text"] === "string" && p["text"].length > 200) return bad("MESSAGE_TOO_LONG");
      query.answered = true;
      return { ok: true, result: true };
    }
    case "sendChatAction":
      return chatActions.has(String(p["action"])) ? { ok: true, result: true } : bad("wrong type of action");
    case "sendVoice":
    case "sendAudio": {
      const field = method === "sendVoice" ? "voice" : "audio";
      const file = p[field];
      if (!isUpload(file)) return bad("the stand-in accepts uploaded files only");
      const problem = method === "sendVoice" ? voiceProblem(file) : audioProblem(file);
      if (problem) return bad(problem);
      const caption =
        p["caption"] === undefined ? undefined : checkText(String(p["caption"]), p["parse_mode"]);
      if (caption && "error" in caption) return caption.error;
      const markup = checkMarkup(p["reply_markup"]);
      if (typeof markup === "object" && "ok" in markup) return markup;
      return {
        ok: true,
        result: store(state, chatId!, method === "sendVoice" ? "voice" : "audio", {}, file),
      };
    }
    case "sendDocument": {
      const file = p["document"];
      if (!isUpload(file)) return bad("the stand-in accepts uploaded files only");
      if (file.bytes.length === 0) return bad("file must be non-empty");
      if (file.bytes.length > 50 * 1024 * 1024) return bad("file is too big");
      const caption =
        p["caption"] === undefined ? undefined : checkText(String(p["caption"]), p["parse_mode"]);
      if (caption && "error" in caption) return caption.error;
      return { ok: true, result: store(state, chatId!, "document", {}, file) };
    }
    case "getFile": {
      const file = state.files.get(String(p["file_id"]));
      if (!file) return bad("invalid file_id");
      if (file.file_size > 20 * 1024 * 1024) return bad("file is too big");
      const { bytes: _, ...result } = file;
      return { ok: true, result };
    }
    case "setMyCommands":
    case "getMyCommands":
    case "deleteMyCommands": {
      const lang = typeof p["language_code"] === "string" ? p["language_code"] : "";
      if (lang !== "" && !/^[a-z]{2}$/.test(lang)) return bad("invalid language code");
      if (method === "getMyCommands") return { ok: true, result: state.commands.get(lang) ?? [] };
      if (method === "deleteMyCommands") {
        state.commands.delete(lang);
        return { ok: true, result: true };
      }
      const commands = p["commands"];
      if (!Array.isArray(commands) || commands.length > 100)
        return bad("commands must be an array of at most 100 items");
      for (const c of commands as { command?: unknown; description?: unknown }[]) {
        if (typeof c.command !== "string" || !/^[a-z0-9_]{1,32}$/.test(c.command))
          return bad("BOT_COMMAND_INVALID");
        if (typeof c.description !== "string" || c.description.length < 1 || c.description.length > 256) {
          return bad("BOT_COMMAND_DESCRIPTION_INVALID");
        }
      }
      state.commands.set(lang, commands as { command: string; description: string }[]);
      return { ok: true, result: true };
    }
    default:
      return { ok: false, error_code: 404, description: "Not Found" };
  }
}

function checkText(text: string, parseMode: unknown): { plain: string } | { error: ApiResult } {
  let plain = text;
  if (parseMode === "HTML") {
    const parsed = parseTelegramHtml(text);
    if ("error" in parsed) return { error: bad(parsed.error) };
    plain = parsed.plain;
  } else if (parseMode !== undefined) {
    return { error: bad(`unsupported parse_mode "${String(parseMode)}" in the stand-in`) };
  }
  if (plain.trim().length === 0) return { error: bad("message text is empty") };
  if (plain.length > 4096) return { error: bad("message is too long") };
  return { plain };
}

function checkMarkup(markup: unknown): InlineKeyboardMarkup | undefined | ApiResult {
  if (markup === undefined) return undefined;
  const rows = (markup as { inline_keyboard?: unknown }).inline_keyboard;
  if (!Array.isArray(rows)) return bad("the stand-in supports inline keyboards only");
  for (const row of rows) {
    if (!Array.isArray(row)) return bad('field "inline_keyboard" must be an Array of Array');
    for (const button of row as Record<string, unknown>[]) {
      if (typeof button["text"] !== "string" || button["text"] === "")
        return bad("text buttons are unallowed in the inline keyboard");
      const data = button["callback_data"];
      if (typeof data !== "string" && typeof button["url"] !== "string")
        return bad("can't parse inline keyboard button");
      if (typeof data === "string" && (data.length === 0 || new TextEncoder().encode(data).length > 64)) {
        return bad("BUTTON_DATA_INVALID");
      }
    }
  }
  return markup as InlineKeyboardMarkup;
}

function voiceProblem(file: Upload): string | undefined {
  const b = file.bytes;
  const ascii = (from: number, to: number) => String.fromCharCode(...b.subarray(from, to));
  if (ascii(0, 4) === "OggS") {
    const problem = oggOpusProblem(b, 50 * 1024 * 1024);
    return problem ? `wrong file: voice must be Ogg/Opus (${problem})` : undefined;
  }
  return audioProblem(file) ? "wrong file: voice must be OGG/Opus, MP3 or M4A" : undefined;
}

function audioProblem(file: Upload): string | undefined {
  const b = file.bytes;
  const ascii = (from: number, to: number) => String.fromCharCode(...b.subarray(from, to));
  const mp3 = ascii(0, 3) === "ID3" || (b[0] === 0xff && ((b[1] ?? 0) & 0xe0) === 0xe0);
  const m4a = ascii(4, 8) === "ftyp";
  if (ascii(0, 4) === "OggS") return oggOpusProblem(b, 50 * 1024 * 1024);
  return mp3 || m4a ? undefined : "wrong file: not a supported audio file";
}

function store(
  state: BotApiState,
  chatId: number,
  kind: StoredMessage["kind"],
  fields: Partial<StoredMessage>,
  upload?: Upload,
): Message {
  const message: StoredMessage = {
    chat_id: chatId,
    message_id: nextMessageId(state, chatId),
    kind,
    from_bot: true,
    ...fields,
  };
  state.messages.set(messageKey(chatId, message.message_id), message);
  const result: Record<string, unknown> = { ...toMessage(state, message) };
  if (upload) {
    const id = `BOTFILE${state.files.size + 1}`;
    const ext =
      kind === "voice" ? "oga" : kind === "document" ? (upload.filename.split(".").pop() ?? "bin") : "mp3";
    const file_path = `${kind}/file_${state.files.size + 1}.${ext}`;
    state.files.set(id, {
      file_id: id,
      file_unique_id: `u${id}`,
      file_size: upload.bytes.length,
      file_path,
      bytes: upload.bytes,
    });
    result[kind] = { file_id: id, file_unique_id: `u${id}`, duration: 1, file_size: upload.bytes.length };
  }
  return result as unknown as Message;
}

function toMessage(state: BotApiState, m: StoredMessage): Message {
  return {
    message_id: m.message_id,
    date: Math.floor(Date.now() / 1000),
    chat: { id: m.chat_id, type: "private", first_name: "user" },
    from: state.bot,
    ...(m.text !== undefined ? { text: m.text } : {}),
    ...(m.reply_markup ? { reply_markup: m.reply_markup } : {}),
  } as Message;
}
