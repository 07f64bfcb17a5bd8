/**
 * Telegram's limits as a grammY API transformer: calls that post into a chat go one at a time per chat,
 * at most one per `minIntervalMs`, in order; a 429 is waited out and retried by `@grammyjs/auto-retry`
 * (a bounded number of times, never a retry_after over the bound) inside the chat's turn, so the chat's
 * next message waits behind the retry.
 */
import { autoRetry } from "@grammyjs/auto-retry";
import type { Transformer } from "grammy";

/** How strictly to pace, and how long to wait out a 429. */
export interface RateLimitOptions {
  /** Spacing between messages to one chat; Telegram asks for about one per second. */
  readonly minIntervalMs?: number;
  /** Retries after a 429 before giving up (the Bot API's error then reaches the caller). */
  readonly maxRetries?: number;
  /** A retry_after longer than this is not waited out. */
  readonly maxRetryAfterS?: number;
  readonly now?: () => number;
  readonly sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

interface ChatSlot {
  next: number;
  tail: Promise<unknown>;
}

/** Creates the transformer; install it with `bot.api.config.use(...)`. */
export function createRateLimitTransformer(options: RateLimitOptions = {}): Transformer {
  const interval = options.minIntervalMs ?? 1000;
  const now = options.now ?? (() => Date.now());
  const sleep = options.sleep ?? sleepFor;
  const slots = new Map<string, ChatSlot>();
  // Only the 429 half: network errors and 5xx reach the caller as before, so every retry stays bounded.
  const retry = autoRetry({
    maxRetryAttempts: options.maxRetries ?? 3,
    maxDelaySeconds: options.maxRetryAfterS ?? 30,
    rethrowHttpErrors: true,
    rethrowInternalServerErrors: true,
  });

  const transformer: Transformer = (prev, method, payload, apiSignal) => {
    // grammY's Node build types its signal with the abort-controller package; it is the same object.
    const signal = apiSignal as unknown as AbortSignal | undefined;
    const chat = pacedChat(method, payload);
    const attempt = async (slot: ChatSlot | undefined) => {
      if (slot) {
        const wait = slot.next - now();
        if (wait > 0) await sleep(wait, signal);
      }
      const result = await retry(prev, method, payload, apiSignal);
      if (slot) slot.next = now() + interval;
      return result;
    };
    if (chat === undefined) return attempt(undefined);
    let slot = slots.get(chat);
    if (!slot) {
      slot = { next: 0, tail: Promise.resolve() };
      slots.set(chat, slot);
    }
    const own = slot;
    const run = own.tail.then(() => attempt(own));
    own.tail = run.catch(() => undefined);
    // The caller handles the call's own failure; this branch must not become an unhandled rejection.
    void run.finally(() => forgetIdle(slots, now())).catch(() => undefined);
    return run;
  };
  return transformer;
}

/** The chat a call posts into, when it is one Telegram paces (messages and their edits). */
function pacedChat(method: string, payload: unknown): string | undefined {
  if (method === "sendChatAction" || !/^(send|edit|copy|forward)/.test(method)) return undefined;
  const chatId = (payload as { chat_id?: unknown } | undefined)?.chat_id;
  return typeof chatId === "number" || typeof chatId === "string" ? String(chatId) : undefined;
}

function forgetIdle(slots: Map<string, ChatSlot>, now: number): void {
  if (slots.size < 1000) return;
  for (const [chat, slot] of slots) if (slot.next < now - 60_000) slots.delete(chat);
}

function sleepFor(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", abort);
      resolve();
    }, ms);
    const abort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener("abort", abort, { once: true });
  });
}
