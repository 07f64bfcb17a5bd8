/**
 * Part of the Oracle Cloud STAND-IN (test code): checks a request's OCI HTTP signature the way the
 * real API does — rebuilds the signing string from the headers the signature names, verifies it
 * with the public key, and checks the key id, the date skew and the body hash.
 */
import { createHash, type KeyObject, verify } from "node:crypto";

/** What the verifier needs to know about the request. */
export interface ReceivedRequest {
  readonly method: string;
  /** Path and query, exactly as received. */
  readonly target: string;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: string;
}

/** Expectations of the verifier. */
export interface SignatureExpectations {
  readonly publicKey: KeyObject;
  readonly keyId: string;
  readonly now: number;
  /** Largest allowed difference between the request's date and `now` (OCI: 5 minutes). */
  readonly maxSkewMs: number;
}

/** Null when the signature holds; otherwise why it does not. */
export function signatureProblem(request: ReceivedRequest, expect: SignatureExpectations): string | null {
  const header = (name: string): string | undefined => {
    const v = request.headers[name.toLowerCase()];
    return Array.isArray(v) ? v.join(", ") : v;
  };
  const authorization = header("authorization");
  if (!authorization?.startsWith("Signature ")) return "no Signature authorization header";
  const params = new Map<string, string>();
  for (const m of authorization.slice("Signature ".length).matchAll(/([a-zA-Z]+)="([^"]*)"/g))
    params.set(m[1] ?? "", m[2] ?? "");
  if (params.get("version") !== "1") return 'version must be "1"';
  if (params.get("algorithm") !== "rsa-sha256") return "algorithm must be rsa-sha256";
  if (params.get("keyId") !== expect.keyId) return `unknown keyId ${params.get("keyId") ?? "(none)"}`;
  const names = (params.get("headers") ?? "").split(" ").filter((n) => n !== "");
  const lower = names.map((n) => n.toLowerCase());
  const required = ["(request-target)", "host"];
  if (["POST", "PUT", "PATCH"].includes(request.method))
    required.push("content-length", "content-type", "x-content-sha256");
  for (const r of required) if (!lower.includes(r)) return `the signature does not cover ${r}`;
  if (!lower.includes("date") && !lower.includes("x-date")) return "the signature does not cover a date";
  const lines: string[] = [];
  for (const h of lower) {
    if (h === "(request-target)") {
      lines.push(`(request-target): ${request.method.toLowerCase()} ${request.target}`);
      continue;
    }
    const value = header(h);
    if (value === undefined) return `signed header ${h} is missing from the request`;
    lines.push(`${h}: ${value}`);
  }
  const signature = Buffer.from(params.get("signature") ?? "", "base64");
  if (!verify("sha256", Buffer.from(lines.join("\n")), expect.publicKey, signature))
    return "the signature does not verify with the public key";
  const dated = Date.parse(header("x-date") ?? header("date") ?? "");
  if (Number.isNaN(dated)) return "the date header is not a date";
  if (Math.abs(dated - expect.now) > expect.maxSkewMs)
    return `the request date is ${Math.round((dated - expect.now) / 1000)} s off this server's clock`;
  if (lower.includes("x-content-sha256")) {
    const sha = createHash("sha256").update(request.body).digest("base64");
    if (header("x-content-sha256") !== sha) return "x-content-sha256 does not match the body";
    if (header("content-length") !== String(Buffer.byteLength(request.body)))
      return "content-length does not match the body";
  }
  return null;
}
