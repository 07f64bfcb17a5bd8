/**
 * An API transformer that ties every Bot API call to the host's stop signal, so stopping the host
 * (SIGTERM) ends calls still waiting on Telegram instead of leaving them to grammY's 500 s timeout.
 */
import type { Transformer } from "grammy";

/** Creates the transformer; install it with `bot.api.config.use(...)`. */
export function createStopSignalTransformer(stop: AbortSignal): Transformer {
  return async (prev, method, payload, apiSignal) => {
    // grammY's Node build may hand over the abort-controller package's signal, which AbortSignal.any
    // does not take; both kinds have addEventListener, so the two are joined by hand.
    const own = apiSignal as unknown as AbortSignal | undefined;
    const both = new AbortController();
    const abort = () => both.abort();
    if (stop.aborted || own?.aborted) abort();
    stop.addEventListener("abort", abort);
    own?.addEventListener("abort", abort);
    try {
      return await prev(method, payload, both.signal as unknown as typeof apiSignal);
    } finally {
      stop.removeEventListener("abort", abort);
      own?.removeEventListener("abort", abort);
    }
  };
}
