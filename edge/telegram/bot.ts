/**
 * The Telegram bot: grammY, runtime-free (workerd and Node). It admits only allowlisted users, handles
 * each update once, sends words, voice and button presses to the desk, and never runs actions itself.
 */
import { Bot, type Context } from "grammy";
import type { UserFromGetMe } from "grammy/types";
import type { Actor } from "../core/actors.ts";
import { type Clock, systemClock } from "../core/clock.ts";
import type { Desk, Lang } from "../core/desk.ts";
import type { SpeechToText, TextToSpeech } from "../speech/speech.ts";
import type { BotAudit } from "./bot-audit.ts";
import type { BotDeps } from "./bot-deps.ts";
import { runButton } from "./button-flow.ts";
import { runCommand } from "./command-flow.ts";
import { escapeHtml } from "./html.ts";
import { detectLang, langFromCode } from "./lang.ts";
import { createRateLimitTransformer, type RateLimitOptions } from "./rate-limit.ts";
import { helpPhrase, phrases } from "./texts.ts";
import { createMemoryUpdateDedupe, type UpdateDedupe } from "./update-dedupe.ts";
import { createMemoryUserPreferences, type UserPreferences } from "./user-preferences.ts";
import type { TelegramUsers } from "./users.ts";
import { runVoiceCommand } from "./voice-flow.ts";

/** Everything the bot needs; only token, desk and users are required. */
export interface BotOptions {
  readonly token: string;
  /** A self-hosted or stand-in Bot API server (TELEGRAM_API_ROOT); default https://api.telegram.org. */
  readonly apiRoot?: string;
  /** The bot's getMe answer, preset so no request calls getMe; without it grammY calls getMe once. */
  readonly botInfo?: UserFromGetMe;
  readonly desk: Desk;
  readonly users: TelegramUsers;
  readonly dedupe?: UpdateDedupe;
  readonly preferences?: UserPreferences;
  readonly audit?: BotAudit;
  readonly stt?: SpeechToText;
  readonly tts?: TextToSpeech;
  /** Service and VM names from the inventory, passed to speech recognition as a prompt. */
  readonly speechHints?: () => readonly string[] | Promise<readonly string[]>;
  readonly clock?: Clock;
  readonly rateLimit?: RateLimitOptions;
  /** After this long a pressed button's spinner is answered "working…" (default 2500 ms). */
  readonly buttonAnswerMs?: number;
  /** The largest voice note to download (default and maximum: the Bot API's 20 MB). */
  readonly maxVoiceBytes?: number;
  /** fetch for voice downloads (default the global one). */
  readonly fetch?: (url: string, init?: RequestInit) => Promise<Response>;
  /** Failures the bot handled (told the user) but the host may want to log; never prints. */
  readonly onError?: (error: unknown) => void;
}

/** Canonical words for /status, which the understanding layer knows in both languages. */
const statusWords: Record<Lang, string> = {
  ru: "Проверь статус всех сервисов",
  en: "Check the status of all services",
};

/** Creates the bot with its middleware and the per-chat rate limiter installed. */
export function createBot(options: BotOptions): Bot {
  const apiRoot = options.apiRoot ?? "https://api.telegram.org";
  const bot = new Bot(options.token, {
    ...(options.botInfo ? { botInfo: options.botInfo } : {}),
    client: { apiRoot },
  });
  bot.api.config.use(createRateLimitTransformer(options.rateLimit));
  const onError = options.onError ?? (() => undefined);
  const clock = options.clock ?? systemClock;
  const hints = options.speechHints;
  const deps: BotDeps = {
    api: bot.api,
    desk: options.desk,
    users: options.users,
    dedupe: options.dedupe ?? createMemoryUpdateDedupe(),
    preferences: options.preferences ?? createMemoryUserPreferences(),
    audit: options.audit,
    stt: options.stt,
    tts: options.tts,
    clock,
    voiceSource: {
      token: options.token,
      apiRoot,
      fetch: options.fetch ?? ((url, init) => fetch(url, init)),
      maxBytes: Math.min(options.maxVoiceBytes ?? 20 * 1024 * 1024, 20 * 1024 * 1024),
    },
    speechHints: async () => (hints ? [...(await hints())] : []),
    buttonAnswerMs: options.buttonAnswerMs ?? 2500,
    onError,
  };
  const refusedAt = new Map<number, number>();

  bot.catch((error) => onError(error.error));

  // A failure after the update was taken (e.g. the Bot API refused the answer) is reported, not
  // thrown: a webhook 500 would only make Telegram deliver the same update again.
  bot.use(async (_ctx, next) => {
    try {
      await next();
    } catch (error) {
      onError(error);
    }
  });

  bot.use(async (ctx, next) => {
    if (await deps.dedupe.seen(ctx.update.update_id)) return;
    await next();
  });

  bot.use(async (ctx, next) => {
    const from = ctx.from;
    if (!from || from.is_bot) return;
    if (ctx.chat && ctx.chat.type !== "private") return;
    if (deps.users.has(from.id)) return next();
    await refuseStranger(deps, ctx, refusedAt);
  });

  const actorOf = (ctx: Context): Actor => {
    const from = ctx.from!;
    return {
      kind: "telegram",
      id: String(from.id),
      role: deps.users.get(from.id) ?? "viewer",
      name: from.username ?? from.first_name,
    };
  };
  const uiLang = async (ctx: Context): Promise<Lang> =>
    (await deps.preferences.get(ctx.from!.id)).lang ?? langFromCode(ctx.from?.language_code);
  const say = (ctx: Context, text: string) => ctx.reply(escapeHtml(text), { parse_mode: "HTML" });

  bot.command(["start", "help"], async (ctx) => {
    await say(ctx, helpPhrase(await uiLang(ctx), deps.tts !== undefined));
  });

  bot.command("status", async (ctx) => {
    const lang = await uiLang(ctx);
    await runCommand(deps, {
      actor: actorOf(ctx),
      userId: ctx.from!.id,
      chatId: ctx.chat.id,
      text: statusWords[lang],
      lang,
    });
  });

  bot.command("voice", async (ctx) => {
    const lang = await uiLang(ctx);
    const arg = ctx.match.trim().toLowerCase();
    const current = (await deps.preferences.get(ctx.from!.id)).voiceReplies ?? false;
    const on = arg === "on" || arg === "вкл" ? true : arg === "off" || arg === "выкл" ? false : !current;
    if (on && !deps.tts) return void (await say(ctx, phrases.ttsOff[lang]));
    await deps.preferences.update(ctx.from!.id, { voiceReplies: on });
    await say(ctx, on ? phrases.voiceOn[lang] : phrases.voiceOff[lang]);
  });

  bot.on("message:text", async (ctx) => {
    const text = ctx.message.text.replace(/^\//, "").trim();
    const lang = detectLang(text) ?? (await uiLang(ctx));
    await runCommand(deps, { actor: actorOf(ctx), userId: ctx.from.id, chatId: ctx.chat.id, text, lang });
  });

  bot.on("message:voice", async (ctx) => {
    const lang = await uiLang(ctx);
    await runVoiceCommand(deps, {
      actor: actorOf(ctx),
      userId: ctx.from.id,
      chatId: ctx.chat.id,
      voice: ctx.message.voice,
      lang,
    });
  });

  bot.on("callback_query:data", async (ctx) => {
    await runButton(deps, actorOf(ctx), ctx.callbackQuery, await uiLang(ctx));
  });

  bot.on("callback_query", (ctx) => ctx.answerCallbackQuery());

  bot.on("message", async (ctx) => {
    await say(ctx, phrases.unsupported[await uiLang(ctx)]);
  });

  return bot;
}

/** Audits a stranger's attempt and answers with a short refusal (at most once a minute per user). */
async function refuseStranger(deps: BotDeps, ctx: Context, refusedAt: Map<number, number>): Promise<void> {
  const from = ctx.from!;
  const now = deps.clock.now();
  const text = ctx.message?.text;
  await Promise.resolve(
    deps.audit?.record({
      kind: "telegram.stranger",
      at: now,
      user_id: from.id,
      ...(from.username ? { username: from.username } : {}),
      ...(ctx.chat ? { chat_id: ctx.chat.id } : {}),
      update: Object.keys(ctx.update).find((key) => key !== "update_id") ?? "unknown",
      ...(text ? { text: text.slice(0, 100) } : {}),
    }),
  ).catch(deps.onError);
  const lang = langFromCode(from.language_code);
  if (ctx.callbackQuery) {
    await ctx.answerCallbackQuery({ text: phrases.refusal[lang] }).catch(deps.onError);
    return;
  }
  const last = refusedAt.get(from.id);
  if (last !== undefined && now - last < 60_000) return;
  if (refusedAt.size > 10_000) refusedAt.clear();
  refusedAt.set(from.id, now);
  if (ctx.chat)
    await ctx.api.sendMessage(ctx.chat.id, escapeHtml(phrases.refusal[lang]), { parse_mode: "HTML" });
}
