/** One error class for the LLM failure domain. */

/** What went wrong with an LLM call. */
export type LlmErrorKind =
  /** No provider is configured, or the configuration is wrong. */
  | "not-configured"
  /** The call took longer than its timeout. */
  | "timeout"
  /** The caller gave up (its signal was aborted). */
  | "aborted"
  /** The provider said 429 and the wait it asked for was too long, or it said 429 again. */
  | "rate-limited"
  /** The provider answered with another HTTP error. */
  | "http"
  /** The request never got an answer (DNS, connection, TLS). */
  | "network"
  /** The answer was not the provider's documented shape. */
  | "bad-response";

/** Options of an LLM error. */
export interface LlmErrorOptions {
  readonly provider: string;
  readonly retryable: boolean;
  readonly status?: number;
  readonly retryAfterMs?: number;
  readonly cause?: unknown;
}

/** An LLM call failed; `retryable` says whether trying again later may help, `retryAfterMs` when. */
export class LlmError extends Error {
  readonly kind: LlmErrorKind;
  readonly provider: string;
  readonly retryable: boolean;
  readonly status: number | undefined;
  readonly retryAfterMs: number | undefined;

  constructor(kind: LlmErrorKind, message: string, options: LlmErrorOptions) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "LlmError";
    this.kind = kind;
    this.provider = options.provider;
    this.retryable = options.retryable;
    this.status = options.status;
    this.retryAfterMs = options.retryAfterMs;
  }
}
