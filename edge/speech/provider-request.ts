/** One HTTP call to a speech provider: a deadline, an outside abort, and errors that never carry secrets. */
import type { FetchFunction } from "./speech.ts";
import { isRetryableStatus, SpeechError } from "./speech-error.ts";

/** What one provider call needs. */
export interface ProviderRequest {
  readonly provider: string;
  readonly fetch: FetchFunction;
  readonly url: string;
  readonly init: RequestInit;
  readonly timeoutMs: number;
  /** Values that must never appear in an error message (API keys). */
  readonly secrets: readonly string[];
  readonly signal?: AbortSignal;
}

/** Removes every secret from a text. */
export function redact(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) if (secret.length > 0) out = out.split(secret).join("***");
  return out;
}

/** Runs the call; resolves with a 2xx response or throws a SpeechError saying whether to retry. */
export async function sendProviderRequest(request: ProviderRequest): Promise<Response> {
  const { provider, secrets } = request;
  const deadline = AbortSignal.timeout(request.timeoutMs);
  const signal = request.signal ? AbortSignal.any([deadline, request.signal]) : deadline;
  let response: Response;
  try {
    response = await request.fetch(request.url, { ...request.init, signal });
  } catch (error) {
    if (deadline.aborted) {
      throw new SpeechError(`${provider}: no answer within ${request.timeoutMs} ms`, {
        provider,
        retryable: true,
      });
    }
    if (request.signal?.aborted) {
      throw new SpeechError(`${provider}: cancelled`, { provider, retryable: false });
    }
    const detail = error instanceof Error ? redact(error.message, secrets) : "network error";
    throw new SpeechError(`${provider}: request failed (${detail})`, { provider, retryable: true });
  }
  if (response.ok) return response;
  const detail = redact(await describeBody(response), secrets);
  const hint = response.status === 401 || response.status === 403 ? " (check the API key)" : "";
  throw new SpeechError(`${provider}: HTTP ${response.status}${hint}${detail ? `: ${detail}` : ""}`, {
    provider,
    retryable: isRetryableStatus(response.status),
    status: response.status,
  });
}

/** The provider's own error message, if the body has one, cut short. */
async function describeBody(response: Response): Promise<string> {
  let text: string;
  try {
    text = await response.text();
  } catch {
    return "";
  }
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed === "object" && parsed !== null && "error" in parsed) {
      const error = parsed.error;
      if (typeof error === "string") text = error;
      else if (typeof error === "object" && error !== null && "message" in error) {
        text = String(error.message);
      }
    }
  } catch {
    // not JSON: keep the text
  }
  return text.replace(/\s+/g, " ").trim().slice(0, 200);
}
