/**
 * The `opc-retry-token` of a fence: derived from the persisted fence record, so an alarm that runs
 * twice sends the same token and Oracle performs the action once (tokens live 24 h at OCI).
 */

/** The fields of a fence record the token is derived from. */
export interface RetryTokenSource {
  readonly vm: string;
  readonly epoch: number;
  readonly action: string;
  readonly instanceId: string;
  /** When the fence record was first written, epoch ms; keeps tokens unique if epochs restart. */
  readonly at: number;
}

/** Derives a stable token: "voxops-" and 48 hex digits of SHA-256 over the source fields. */
export async function deriveRetryToken(source: RetryTokenSource): Promise<string> {
  const text = [source.instanceId, source.vm, source.epoch, source.action, source.at].join("|");
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text)));
  const hex = Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join("");
  return `voxops-${hex.slice(0, 48)}`;
}
