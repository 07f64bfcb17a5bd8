/** Parsing and checking the secrets that admit sidecars and API clients. */
import { parseRole, type Role } from "./actors.ts";

/** Parses `vm1=key1,vm2=key2` (from VOXOPS_SIDECAR_KEYS) into a map of VM → key. */
export function parseSidecarKeys(text: string | undefined): Map<string, string> {
  const keys = new Map<string, string>();
  for (const part of (text ?? "").split(",")) {
    const trimmed = part.trim();
    if (trimmed === "") continue;
    const eq = trimmed.indexOf("=");
    if (eq <= 0 || eq === trimmed.length - 1)
      throw new Error(`VOXOPS_SIDECAR_KEYS: expected vm=key, got an entry without "="`);
    keys.set(trimmed.slice(0, eq), trimmed.slice(eq + 1));
  }
  return keys;
}

/** The API tokens marked `:noconfirm`, which may run confirmable actions without a second call. */
export function parseSkipConfirmTokens(text: string | undefined): Set<string> {
  const skip = new Set<string>();
  for (const part of (text ?? "").split(",")) {
    const trimmed = part.trim();
    if (trimmed.endsWith(":noconfirm"))
      skip.add(trimmed.slice(0, trimmed.slice(0, -":noconfirm".length).lastIndexOf(":")));
  }
  return skip;
}

/** A short, non-reversible name for a token, used as the API actor's id in the audit. */
export async function tokenFingerprint(token: string): Promise<string> {
  const bytes = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(token)));
  return [...bytes.slice(0, 6)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** Parses `token:role[:noconfirm],…` (from VOXOPS_API_TOKENS) into a map of token → role. */
export function parseApiTokens(text: string | undefined): Map<string, Role> {
  const tokens = new Map<string, Role>();
  for (const part of (text ?? "").split(",")) {
    let trimmed = part.trim();
    if (trimmed === "") continue;
    if (trimmed.endsWith(":noconfirm")) trimmed = trimmed.slice(0, -":noconfirm".length);
    const colon = trimmed.lastIndexOf(":");
    const role = colon > 0 ? parseRole(trimmed.slice(colon + 1)) : undefined;
    if (role === undefined)
      throw new Error("VOXOPS_API_TOKENS: expected token:viewer|operator|admin entries");
    const token = trimmed.slice(0, colon);
    if (token.length < 16) throw new Error("VOXOPS_API_TOKENS: a token must be at least 16 characters");
    tokens.set(token, role);
  }
  return tokens;
}

async function digest(text: string): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text)));
}

/** Compares two secrets in time that does not depend on where they differ. */
export async function secretsEqual(given: string, expected: string): Promise<boolean> {
  const [a, b] = await Promise.all([digest(given), digest(expected)]);
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= (a[i] ?? 0) ^ (b[i] ?? 0);
  return diff === 0;
}

/** Finds the role of a bearer token, or undefined. */
export async function roleOfToken(
  tokens: ReadonlyMap<string, Role>,
  given: string,
): Promise<Role | undefined> {
  let found: Role | undefined;
  for (const [token, role] of tokens) if (await secretsEqual(given, token)) found = role;
  return found;
}

/** Reads the token from an `Authorization: Bearer …` header value. */
export function bearer(header: string | null | undefined): string | undefined {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header ?? "");
  return m?.[1];
}
