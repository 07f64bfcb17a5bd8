/** One error class for the Oracle Cloud failure domain: a refusal, a fault or an unreachable API. */

/** Options of an Oracle error. */
export interface OracleErrorOptions {
  /** OCI's error code ("NotAuthenticated", "NotAuthorizedOrNotFound", …) or ours ("network", "bad-key"). */
  readonly code: string;
  readonly retryable: boolean;
  /** HTTP status; absent when no response came back. */
  readonly status?: number;
  /** What the operator should do next. */
  readonly hint?: string;
  readonly opcRequestId?: string;
  readonly cause?: unknown;
}

/** An Oracle Cloud call failed; `retryable` says whether trying again later may help. */
export class OracleError extends Error {
  readonly code: string;
  readonly retryable: boolean;
  readonly status: number | undefined;
  readonly hint: string | undefined;
  readonly opcRequestId: string | undefined;

  constructor(message: string, options: OracleErrorOptions) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "OracleError";
    this.code = options.code;
    this.retryable = options.retryable;
    this.status = options.status;
    this.hint = options.hint;
    this.opcRequestId = options.opcRequestId;
  }
}

/** True when an OCI response status is worth retrying: throttling or a server fault. */
export function isRetryableOracleStatus(status: number): boolean {
  return status === 429 || status >= 500;
}
