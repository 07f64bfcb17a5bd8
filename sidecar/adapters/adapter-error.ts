/** The one error type the adapters throw: a code for machines, a message for people, and whether to retry. */

/** A failure talking to systemd, journald, git, the file system or a health URL. */
export class AdapterError extends Error {
  readonly code: string;
  readonly retryable: boolean;
  /** Extra facts for the operator (stderr tail, exit code); never secrets. */
  readonly detail: string;
  constructor(
    code: string,
    message: string,
    options: { retryable?: boolean; detail?: string; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "AdapterError";
    this.code = code;
    this.retryable = options.retryable ?? false;
    this.detail = options.detail ?? "";
  }
}
