/**
 * The bot's identity (the getMe answer) for webhook mode: preset from TELEGRAM_BOT_INFO, or fetched
 * once in the background and cached. One getMe at a time, each bounded by a deadline and never
 * retried in a loop (grammY's own `init` retries for minutes); a failed fetch is tried again only
 * when a later update needs it, at most once per `retryEveryMs`.
 */
import type { Bot } from "grammy";

/** Options of the identity fetcher. */
export interface BotIdentityOptions {
  /** How long one getMe may take (default 10 s). */
  readonly fetchTimeoutMs?: number;
  /** The least time between two getMe attempts after a failure (default 30 s). */
  readonly retryEveryMs?: number;
  readonly now?: () => number;
  /** Told once per failed attempt (a sentence for the log). */
  readonly onError?: (message: string) => void;
}

/** The bot's identity as a webhook handler sees it. */
export interface BotIdentity {
  /** Starts a background getMe unless the identity is known or one is under way. */
  prefetch(): void;
  /** True once the identity is known, waiting at most `waitMs` for a fetch under way. */
  ready(waitMs: number): Promise<boolean>;
}

/** Creates the identity cache over a grammY bot (its `botInfo` is set once getMe answers). */
export function createBotIdentity(bot: Bot, options: BotIdentityOptions = {}): BotIdentity {
  const fetchTimeoutMs = options.fetchTimeoutMs ?? 10_000;
  const retryEveryMs = options.retryEveryMs ?? 30_000;
  const now = options.now ?? Date.now;
  let inFlight: Promise<void> | undefined;
  let lastAttempt = Number.NEGATIVE_INFINITY;

  const prefetch = (): void => {
    if (bot.isInited() || inFlight || now() - lastAttempt < retryEveryMs) return;
    lastAttempt = now();
    inFlight = bot.api
      // grammY types its signal with the abort-controller polyfill's class; the global one is what it uses.
      .getMe(AbortSignal.timeout(fetchTimeoutMs) as unknown as Parameters<Bot["api"]["getMe"]>[0])
      .then((me) => {
        if (!bot.isInited()) bot.botInfo = me;
      })
      .catch((error: unknown) =>
        options.onError?.(
          `Telegram's getMe failed (${String(error).slice(0, 200)}); updates wait until it answers.`,
        ),
      )
      .finally(() => {
        inFlight = undefined;
      });
  };

  return {
    prefetch,
    async ready(waitMs) {
      if (bot.isInited()) return true;
      prefetch();
      const fetching = inFlight;
      if (!fetching) return false;
      let timer: ReturnType<typeof setTimeout> | undefined;
      await Promise.race([fetching, new Promise((resolve) => (timer = setTimeout(resolve, waitMs)))]);
      if (timer !== undefined) clearTimeout(timer);
      return bot.isInited();
    },
  };
}
