/** One error class for the speech failure domain. */

/** Options of a speech error. */
export interface SpeechErrorOptions {
  readonly provider: string;
  readonly retryable: boolean;
  readonly status?: number;
  readonly cause?: unknown;
}

/** A speech provider failed; `retryable` says whether trying again later may help. */
export class SpeechError extends Error {
  readonly provider: string;
  readonly retryable: boolean;
  readonly status: number | undefined;

  constructor(message: string, options: SpeechErrorOptions) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "SpeechError";
    this.provider = options.provider;
    this.retryable = options.retryable;
    this.status = options.status;
  }
}

/** True when an HTTP status is worth retrying (rate limit, timeout or a server fault). */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 409 || status === 429 || status >= 500;
}
