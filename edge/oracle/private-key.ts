/**
 * PEM private keys for WebCrypto: PKCS#8 ("BEGIN PRIVATE KEY") as is, PKCS#1 ("BEGIN RSA PRIVATE
 * KEY", what older OCI key files hold) wrapped into PKCS#8, encrypted keys refused with a clear error.
 */
import { base64ToBytes } from "../core/base64.ts";
import { OracleError } from "./oracle-error.ts";

function keyError(message: string, cause?: unknown): OracleError {
  return new OracleError(message, {
    code: "bad-key",
    retryable: false,
    hint: "set OCI_PRIVATE_KEY to the unencrypted PEM of the API signing key",
    ...(cause === undefined ? {} : { cause }),
  });
}

function derLength(length: number): number[] {
  if (length < 0x80) return [length];
  const bytes: number[] = [];
  for (let n = length; n > 0; n = Math.floor(n / 256)) bytes.unshift(n % 256);
  return [0x80 | bytes.length, ...bytes];
}

function der(tag: number, content: Uint8Array): Uint8Array<ArrayBuffer> {
  const head = [tag, ...derLength(content.length)];
  const out = new Uint8Array(head.length + content.length);
  out.set(head, 0);
  out.set(content, head.length);
  return out;
}

// AlgorithmIdentifier { rsaEncryption (1.2.840.113549.1.1.1), NULL } and INTEGER 0 (the version).
const rsaAlgorithm = new Uint8Array([
  0x30, 0x0d, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00,
]);
const versionZero = new Uint8Array([0x02, 0x01, 0x00]);

/** Wraps a PKCS#1 RSAPrivateKey into a PKCS#8 PrivateKeyInfo. */
export function wrapPkcs1(pkcs1: Uint8Array): Uint8Array<ArrayBuffer> {
  const octets = der(0x04, pkcs1);
  const body = new Uint8Array(versionZero.length + rsaAlgorithm.length + octets.length);
  body.set(versionZero, 0);
  body.set(rsaAlgorithm, versionZero.length);
  body.set(octets, versionZero.length + rsaAlgorithm.length);
  return der(0x30, body);
}

/** Turns a PEM private key (also with "\n" escapes, as env vars often carry it) into PKCS#8 DER. */
export function pemToPkcs8(pem: string): Uint8Array<ArrayBuffer> {
  const text = pem.includes("\\n") && !pem.includes("\n") ? pem.replaceAll("\\n", "\n") : pem;
  const match = /-----BEGIN ([A-Z ]+)-----([\s\S]*?)-----END \1-----/.exec(text);
  if (!match) throw keyError("the private key is not a PEM block (no BEGIN/END lines)");
  const label = match[1] ?? "";
  const body = match[2] ?? "";
  if (label === "ENCRYPTED PRIVATE KEY" || body.includes("ENCRYPTED"))
    throw keyError(
      "the private key is encrypted; decrypt it first (openssl pkey -in key.pem -out plain.pem)",
    );
  if (label !== "PRIVATE KEY" && label !== "RSA PRIVATE KEY")
    throw keyError(`a "${label}" PEM is not an RSA private key`);
  let bytes: Uint8Array<ArrayBuffer>;
  try {
    bytes = base64ToBytes(body.replace(/[^A-Za-z0-9+/=]/g, ""));
  } catch (cause) {
    throw keyError("the private key PEM body is not valid base64", cause);
  }
  return label === "RSA PRIVATE KEY" ? wrapPkcs1(bytes) : bytes;
}

/** Imports a PEM RSA private key for RSASSA-PKCS1-v1_5 with SHA-256 signing. */
export async function importSigningKey(pem: string): Promise<CryptoKey> {
  const pkcs8 = pemToPkcs8(pem);
  try {
    return await crypto.subtle.importKey(
      "pkcs8",
      pkcs8,
      { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" },
      false,
      ["sign"],
    );
  } catch (cause) {
    throw keyError("the private key could not be imported as an RSA key", cause);
  }
}
