/** Test wiring: the Bot API stand-in, the test desk and a real grammY bot polling it. Test code. */
import type { Bot } from "grammy";
import { type BotOptions, createBot } from "../../edge/telegram/bot.ts";
import type { StrangerAttempt } from "../../edge/telegram/bot-audit.ts";
import { type Polling, startPolling } from "../../edge/telegram/polling.ts";
import { createMemoryUserPreferences, type UserPreferences } from "../../edge/telegram/user-preferences.ts";
import { type BotApiStandIn, type StandInUser, startBotApiStandIn } from "../stand-ins/bot-api.ts";
import { createTestClock, createTestDesk, type TestClock, type TestDesk } from "./test-desk.ts";

/** The operator (admin, Russian Telegram). */
export const alice: StandInUser = { id: 1001, first_name: "Alice", language_code: "ru", username: "alice" };
/** A second operator (English Telegram). */
export const bob: StandInUser = { id: 1002, first_name: "Bob", language_code: "en", username: "bob" };
/** Not on the allowlist. */
export const mallory: StandInUser = {
  id: 6666,
  first_name: "Mallory",
  language_code: "en",
  username: "mallory",
};
/** Not on the allowlist, Russian Telegram. */
export const stranger: StandInUser = { id: 7777, first_name: "Незнакомец", language_code: "ru" };

/** The service names speech recognition is biased towards. */
export const serviceHints = [
  "grok-voice",
  "admin-api",
  "nginx",
  "worker-queue",
  "mcp-hub",
  "postgresql",
  "billing-api",
  "vm1",
  "vm2",
];

/** A running bot against the stand-in. */
export interface Harness {
  readonly api: BotApiStandIn;
  readonly bot: Bot;
  readonly desk: TestDesk;
  readonly clock: TestClock;
  readonly preferences: UserPreferences;
  readonly strangers: StrangerAttempt[];
  readonly errors: unknown[];
  readonly polling: Polling | undefined;
  close(): Promise<void>;
}

/** Starts the stand-in and a bot; polls unless `poll` is false (webhook tests). */
export async function startHarness(extra: Partial<BotOptions> = {}, poll = true): Promise<Harness> {
  const api = await startBotApiStandIn();
  for (const user of [alice, bob, mallory, stranger]) api.addUser(user);
  const clock = createTestClock();
  const desk = createTestDesk(clock);
  const preferences = createMemoryUserPreferences();
  const strangers: StrangerAttempt[] = [];
  const errors: unknown[] = [];
  const bot = createBot({
    token: api.token,
    apiRoot: api.apiRoot,
    botInfo: api.botInfo,
    desk,
    users: new Map([
      [alice.id, "admin"],
      [bob.id, "operator"],
    ]),
    preferences,
    audit: { record: (event) => void strangers.push(event) },
    clock,
    speechHints: () => serviceHints,
    rateLimit: { minIntervalMs: 20 },
    onError: (error) => errors.push(error),
    ...extra,
  });
  let polling: Polling | undefined;
  if (poll) {
    const started = new Promise<void>((resolve) => {
      polling = startPolling(bot, { timeoutSeconds: 1, onStart: resolve, onError: (e) => errors.push(e) });
    });
    await started;
  }
  return {
    api,
    bot,
    desk,
    clock,
    preferences,
    strangers,
    errors,
    polling,
    async close() {
      await polling?.stop();
      await api.close();
    },
  };
}

/** Messages the bot sent or edited in a chat, as [method, text] in order. */
export function chatLog(api: BotApiStandIn, chatId: number): [string, string][] {
  return api.calls
    .filter(
      (c) =>
        c.ok &&
        c.params["chat_id"] === chatId &&
        /^(sendMessage|editMessageText|sendVoice|sendAudio)$/.test(c.method),
    )
    .map((c) => [c.method, String(c.params["text"] ?? "")]);
}

/** Waits until `condition` holds, checking every 10 ms; rejects after `timeoutMs`. */
export async function until(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!condition()) {
    if (performance.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
