/**
 * OCI request signing (draft-cavage HTTP signatures, version="1", rsa-sha256) on WebCrypto, so it
 * runs in workerd and Node. It reproduces oci-common's DefaultRequestSigner byte for byte: the same
 * signed headers in the same order (`x-date (request-target) host`, plus `Content-Type
 * Content-Length x-content-sha256` for POST/PUT/PATCH) and the same Authorization layout.
 */
import { bytesToBase64 } from "../core/base64.ts";
import { importSigningKey } from "./private-key.ts";
import type { Secret } from "./secret.ts";

/** Who signs: the API key's owner and its fingerprint. */
export interface SigningIdentity {
  readonly tenancy: string;
  readonly user: string;
  readonly fingerprint: string;
  readonly privateKey: Secret;
}

/** A request to sign; `headers` may carry an `x-date` to sign instead of the clock's time. */
export interface SignableRequest {
  readonly method: string;
  readonly url: string;
  readonly body?: string;
  readonly headers?: Headers;
}

/** Signs requests; the result holds every signed header plus `authorization`. */
export interface RequestSigner {
  readonly keyId: string;
  sign(request: SignableRequest): Promise<Headers>;
}

/** Options of the signer. */
export interface RequestSignerOptions {
  /** Clock for the x-date header, epoch ms. */
  readonly now?: () => number;
}

const bodyMethods = new Set(["POST", "PUT", "PATCH"]);
const encoder = new TextEncoder();

/** Base64 SHA-256 of a UTF-8 body, as `x-content-sha256` carries it. */
export async function contentSha256(body: string): Promise<string> {
  return bytesToBase64(new Uint8Array(await crypto.subtle.digest("SHA-256", encoder.encode(body))));
}

/** The names that are signed for a method, in oci-common's order and spelling. */
export function signedHeaderNames(method: string): string[] {
  const base = ["x-date", "(request-target)", "host"];
  return bodyMethods.has(method.toUpperCase())
    ? [...base, "Content-Type", "Content-Length", "x-content-sha256"]
    : base;
}

/** Builds the draft-cavage signing string from header names and a header lookup. */
export function signingString(
  method: string,
  requestTarget: string,
  names: readonly string[],
  header: (name: string) => string | null,
): string {
  return names
    .map((name) => {
      const h = name.toLowerCase();
      if (h === "(request-target)") return `(request-target): ${method.toLowerCase()} ${requestTarget}`;
      return `${h}: ${header(h) ?? ""}`;
    })
    .join("\n");
}

/** Creates a signer; the key is imported once, lazily, and never leaves the closure. */
export function createRequestSigner(
  identity: SigningIdentity,
  options: RequestSignerOptions = {},
): RequestSigner {
  const now = options.now ?? Date.now;
  const keyId = `${identity.tenancy}/${identity.user}/${identity.fingerprint}`;
  let key: Promise<CryptoKey> | undefined;
  return {
    keyId,
    async sign(request) {
      const url = new URL(request.url);
      const method = request.method.toUpperCase();
      const headers = new Headers(request.headers);
      headers.set("host", url.host);
      if (!headers.has("x-date")) headers.set("x-date", new Date(now()).toUTCString());
      if (bodyMethods.has(method)) {
        const body = request.body ?? "";
        if (!headers.has("content-type")) headers.set("content-type", "application/json");
        headers.set("x-content-sha256", await contentSha256(body));
        if (!headers.has("content-length"))
          headers.set("content-length", String(encoder.encode(body).length));
      }
      const names = signedHeaderNames(method);
      const text = signingString(method, `${url.pathname}${url.search}`, names, (h) => headers.get(h));
      key ??= importSigningKey(identity.privateKey.reveal());
      const signature = await crypto.subtle.sign("RSASSA-PKCS1-v1_5", await key, encoder.encode(text));
      headers.set(
        "authorization",
        `Signature version="1",keyId="${keyId}",algorithm="rsa-sha256",headers="${names.join(" ")}",signature="${bytesToBase64(new Uint8Array(signature))}"`,
      );
      return headers;
    },
  };
}
