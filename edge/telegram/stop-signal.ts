/**
 * An API transformer that ties every Bot API call to the host's stop signal, so stopping the host
 * (SIGTERM) ends calls still waiting on Telegram instead of leaving them to grammY's 500 s timeout.
 */
import type { Transformer } from "grammy";

/** Creates the transformer; install it with `bot.api.config.use(...)`. */
export function createStopSignalTransformer(stop: AbortSignal): Transformer {
  return (prev, method, payload, apiSignal) => {
    // grammY's Node build types its signal with the abort-controller package; it is the same object.
    const own = apiSignal as unknown as AbortSignal | undefined;
    const signal = own ? AbortSignal.any([own, stop]) : stop;
    return prev(method, payload, signal as unknown as typeof apiSignal);
  };
}
