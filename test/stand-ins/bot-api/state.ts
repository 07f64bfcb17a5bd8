/** What the Bot API stand-in remembers (test code): updates, chats, messages, files, commands, webhook. */
import type { BotCommand, InlineKeyboardMarkup, Update, UserFromGetMe } from "grammy/types";

/** A message the stand-in holds, as the bot last left it. */
export interface StoredMessage {
  readonly chat_id: number;
  readonly message_id: number;
  text?: string;
  reply_markup?: InlineKeyboardMarkup;
  readonly kind: "text" | "voice" | "audio" | "document";
  readonly from_bot: boolean;
}

/** A file the stand-in serves for getFile and downloads. */
export interface StoredFile {
  readonly file_id: string;
  readonly file_unique_id: string;
  readonly file_size: number;
  readonly file_path: string;
  /** Absent for files that only claim a size (e.g. an oversized voice note). */
  readonly bytes?: Uint8Array;
}

/** The stand-in's whole state. */
export interface BotApiState {
  readonly bot: UserFromGetMe;
  readonly updates: Update[];
  nextUpdateId: number;
  readonly chats: Set<number>;
  readonly messages: Map<string, StoredMessage>;
  readonly nextMessageId: Map<number, number>;
  readonly files: Map<string, StoredFile>;
  readonly callbackQueries: Map<string, { answered: boolean }>;
  readonly commands: Map<string, BotCommand[]>;
  webhook: { url: string; secret_token?: string } | undefined;
  /** Wakes long-polling getUpdates calls when an update arrives. */
  readonly waiters: Set<() => void>;
}

/** Creates an empty state for a bot. */
export function createBotApiState(bot: UserFromGetMe): BotApiState {
  return {
    bot,
    updates: [],
    nextUpdateId: 100_000,
    chats: new Set(),
    messages: new Map(),
    nextMessageId: new Map(),
    files: new Map(),
    callbackQueries: new Map(),
    commands: new Map(),
    webhook: undefined,
    waiters: new Set(),
  };
}

/** The key of a message in `state.messages`. */
export function messageKey(chatId: number, messageId: number): string {
  return `${chatId}:${messageId}`;
}

/** Allocates the next message id in a chat. */
export function nextMessageId(state: BotApiState, chatId: number): number {
  const id = state.nextMessageId.get(chatId) ?? 1;
  state.nextMessageId.set(chatId, id + 1);
  return id;
}
