/** A throwaway self-signed certificate for 127.0.0.1, made with openssl (tests and the bench only). */
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";

/** The certificate and key in PEM, or why openssl could not make them. */
export type LoopbackCert =
  | { ok: true; cert: Buffer; key: Buffer; certPath: string }
  | { ok: false; problem: string };

/** Writes cert.pem and key.pem into `dir` (valid one day, SAN IP:127.0.0.1). */
export function makeLoopbackCert(dir: string): LoopbackCert {
  const certPath = join(dir, "cert.pem");
  const keyPath = join(dir, "key.pem");
  const made = spawnSync(
    "openssl",
    [
      "req",
      "-x509",
      "-newkey",
      "ec",
      "-pkeyopt",
      "ec_paramgen_curve:prime256v1",
      "-nodes",
      "-days",
      "1",
    ].concat([
      "-subj",
      "/CN=127.0.0.1",
      "-addext",
      "subjectAltName=IP:127.0.0.1",
      "-keyout",
      keyPath,
      "-out",
      certPath,
    ]),
    { encoding: "utf8" },
  );
  if (made.status !== 0)
    return { ok: false, problem: `openssl: ${(made.stderr ?? String(made.error)).trim().slice(0, 200)}` };
  return { ok: true, cert: readFileSync(certPath), key: readFileSync(keyPath), certPath };
}
