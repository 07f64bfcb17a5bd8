/** Long polling for the Node host and the local run: start, and a bounded, clean stop. */
import type { Bot } from "grammy";

/** A running poller. */
export interface Polling {
  /** Stops polling (confirming the last update to Telegram); resolves within `stopTimeoutMs`. */
  stop(): Promise<void>;
  /** Settles when polling ended, by stop() or by a fatal error (reported to onError). */
  readonly done: Promise<void>;
}

/** Options of the poller. */
export interface PollingOptions {
  /** getUpdates long-poll timeout in seconds (default 25). */
  readonly timeoutSeconds?: number;
  readonly stopTimeoutMs?: number;
  readonly dropPendingUpdates?: boolean;
  /** Called once the first getUpdates is under way. */
  readonly onStart?: () => void;
  readonly onError?: (error: unknown) => void;
}

/** Starts long polling (deleting any webhook first, as grammY does). */
export function startPolling(bot: Bot, options: PollingOptions = {}): Polling {
  const onError = options.onError ?? (() => undefined);
  const stopTimeoutMs = options.stopTimeoutMs ?? 5000;
  const done = bot
    .start({
      timeout: options.timeoutSeconds ?? 25,
      allowed_updates: ["message", "callback_query"],
      drop_pending_updates: options.dropPendingUpdates ?? false,
      onStart: () => options.onStart?.(),
    })
    .catch(onError);
  const within = (work: Promise<unknown>) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, stopTimeoutMs);
      void work.catch(onError).finally(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  return {
    done,
    async stop() {
      if (bot.isRunning()) await within(bot.stop());
      await within(done);
    },
  };
}
