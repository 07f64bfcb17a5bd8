/** A secret string that does not leak through JSON, string conversion or Node's inspector. */

/** Holds a secret; only `reveal()` returns it. */
export interface Secret {
  reveal(): string;
  toJSON(): string;
  toString(): string;
}

const redacted = "[secret]";

/** Wraps a secret value so logging or serialising the holder never prints it. */
export function createSecret(value: string): Secret {
  const secret: Secret = {
    reveal: () => value,
    toJSON: () => redacted,
    toString: () => redacted,
  };
  Object.defineProperty(secret, Symbol.for("nodejs.util.inspect.custom"), { value: () => redacted });
  return secret;
}
