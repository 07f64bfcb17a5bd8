/**
 * One JSON POST to an LLM provider, bounded: a timeout on the whole exchange, one retry after a 429
 * when the provider asks for a short wait, and every failure turned into an LlmError that says
 * whether to retry.
 */
import { LlmError } from "./llm-error.ts";

/** What a provider module needs to talk HTTP. */
export interface HttpOptions {
  readonly provider: string;
  readonly fetch: typeof fetch;
  readonly timeoutMs: number;
  /** The longest retry-after wait honoured once (longer waits fail at once with retryAfterMs). */
  readonly maxRetryAfterMs: number;
  readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
}

/** Sleeps, waking early if the signal aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener(
      "abort",
      () => {
        clearTimeout(timer);
        resolve();
      },
      { once: true },
    );
  });
}

/** Reads retry-after (seconds or an HTTP date) or retry-after-ms, in milliseconds. */
export function retryAfterMs(headers: Headers, now = Date.now()): number | undefined {
  const ms = headers.get("retry-after-ms");
  if (ms !== null && /^\d+(\.\d+)?$/.test(ms.trim())) return Math.ceil(Number(ms));
  const value = headers.get("retry-after");
  if (value === null) return undefined;
  if (/^\d+(\.\d+)?$/.test(value.trim())) return Math.ceil(Number(value) * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** POSTs JSON and returns the parsed JSON answer; throws LlmError. */
export async function postJson(
  url: string,
  headers: Readonly<Record<string, string>>,
  body: unknown,
  options: HttpOptions,
  signal?: AbortSignal,
): Promise<unknown> {
  const { provider } = options;
  for (let attempt = 0; ; attempt++) {
    const timeout = AbortSignal.timeout(options.timeoutMs);
    const combined = signal === undefined ? timeout : AbortSignal.any([signal, timeout]);
    let response: Response;
    let text: string;
    try {
      response = await options.fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json", ...headers },
        body: JSON.stringify(body),
        signal: combined,
      });
      text = await response.text();
    } catch (error) {
      if (signal?.aborted)
        throw new LlmError("aborted", `${provider}: the request was cancelled`, {
          provider,
          retryable: false,
          cause: error,
        });
      if (timeout.aborted)
        throw new LlmError("timeout", `${provider} did not answer within ${options.timeoutMs} ms`, {
          provider,
          retryable: true,
          cause: error,
        });
      throw new LlmError("network", `${provider} could not be reached: ${(error as Error).message}`, {
        provider,
        retryable: true,
        cause: error,
      });
    }
    if (response.status === 429) {
      const wait = retryAfterMs(response.headers);
      if (attempt === 0 && wait !== undefined && wait <= options.maxRetryAfterMs) {
        await options.sleep(wait, signal);
        continue;
      }
      throw new LlmError(
        "rate-limited",
        `${provider} is rate limiting${wait === undefined ? "" : `; it asks to wait ${Math.ceil(wait / 1000)} s`}`,
        { provider, retryable: true, status: 429, ...(wait === undefined ? {} : { retryAfterMs: wait }) },
      );
    }
    if (!response.ok) {
      throw new LlmError("http", `${provider} answered ${response.status}: ${errorMessage(text)}`, {
        provider,
        status: response.status,
        retryable: response.status === 408 || response.status === 409 || response.status >= 500,
      });
    }
    try {
      return JSON.parse(text) as unknown;
    } catch (error) {
      throw new LlmError("bad-response", `${provider} answered with something that is not JSON`, {
        provider,
        retryable: false,
        cause: error,
      });
    }
  }
}

/** The provider's own error message, short, from `{error: {message}}` or the raw text. */
function errorMessage(text: string): string {
  try {
    const value = JSON.parse(text) as { error?: { message?: unknown } | string; message?: unknown };
    const message =
      typeof value.error === "object" && typeof value.error?.message === "string"
        ? value.error.message
        : typeof value.error === "string"
          ? value.error
          : typeof value.message === "string"
            ? value.message
            : text;
    return message.slice(0, 300);
  } catch {
    return text.slice(0, 300) || "(no body)";
  }
}
