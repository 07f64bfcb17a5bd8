import { generateKeyPairSync } from "node:crypto";
import { DefaultRequestSigner, SimpleAuthenticationDetailsProvider } from "oci-common";
import { describe, expect, it } from "vitest";
import { OracleError } from "./oracle-error.ts";
import { importSigningKey } from "./private-key.ts";
import { createRequestSigner } from "./request-signer.ts";
import { createSecret } from "./secret.ts";

const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
const pkcs8 = privateKey.export({ type: "pkcs8", format: "pem" }).toString();
const pkcs1 = privateKey.export({ type: "pkcs1", format: "pem" }).toString();
const tenancy = "ocid1.tenancy.oc1..aaaatenancy";
const user = "ocid1.user.oc1..aaaauser";
const fingerprint = "20:3b:97:13:55:1c:5b:0d:d3:37:d8:50:4e:c5:3a:34";
const xDate = "Thu, 05 Jan 2014 21:31:40 GMT";

async function ociCommonSign(method: string, uri: string, body?: string): Promise<Headers> {
  const provider = new SimpleAuthenticationDetailsProvider(tenancy, user, fingerprint, pkcs8, null);
  const headers = new Headers({ "x-date": xDate });
  await new DefaultRequestSigner(provider).signHttpRequest({
    method: method as "GET",
    uri,
    headers,
    ...(body === undefined ? {} : { body }),
  });
  return headers;
}

const cases: { method: string; uri: string; body?: string }[] = [
  {
    method: "GET",
    uri: "https://iaas.eu-frankfurt-1.oraclecloud.com/20160918/instances/ocid1.instance.oc1.eu-frankfurt-1.abc",
  },
  {
    method: "POST",
    uri: "https://iaas.eu-frankfurt-1.oraclecloud.com/20160918/instances/ocid1.instance.oc1.x?action=SOFTRESET",
    body: "",
  },
  {
    method: "POST",
    uri: "http://127.0.0.1:8123/20160918/instances/ocid1.instance.oc1.x?action=RESET",
    body: "",
  },
  {
    method: "PUT",
    uri: "https://iaas.us-ashburn-1.oraclecloud.com/20160918/instances/x",
    body: '{"displayName":"вм-1"}',
  },
  {
    method: "DELETE",
    uri: "https://iaas.us-ashburn-1.oraclecloud.com/20160918/instances/x?preserveBootVolume=true",
  },
];

describe("createRequestSigner", () => {
  for (const c of cases) {
    it(`signs ${c.method} ${new URL(c.uri).pathname} exactly as oci-common does`, async () => {
      const expected = await ociCommonSign(c.method, c.uri, c.body);
      for (const pem of [pkcs8, pkcs1]) {
        const signer = createRequestSigner({ tenancy, user, fingerprint, privateKey: createSecret(pem) });
        const ours = await signer.sign({
          method: c.method,
          url: c.uri,
          ...(c.body === undefined ? {} : { body: c.body }),
          headers: new Headers({ "x-date": xDate }),
        });
        expect(ours.get("authorization")).toBe(expected.get("authorization"));
        for (const h of ["host", "x-date", "x-content-sha256", "content-length", "content-type"])
          expect(ours.get(h), h).toBe(expected.get(h));
      }
    });
  }

  it("takes x-date from the injected clock and keeps the key out of the keyId", async () => {
    const signer = createRequestSigner(
      { tenancy, user, fingerprint, privateKey: createSecret(pkcs8) },
      { now: () => Date.UTC(2026, 0, 2, 3, 4, 5) },
    );
    const headers = await signer.sign({ method: "GET", url: "https://iaas.x.oraclecloud.com/a" });
    expect(headers.get("x-date")).toBe("Fri, 02 Jan 2026 03:04:05 GMT");
    expect(signer.keyId).toBe(`${tenancy}/${user}/${fingerprint}`);
    expect(JSON.stringify({ k: createSecret(pkcs8) })).not.toContain("PRIVATE");
  });

  it("accepts a PEM whose newlines arrive escaped, as env vars carry them", async () => {
    await expect(importSigningKey(pkcs8.replaceAll("\n", "\\n"))).resolves.toBeDefined();
  });

  it("refuses encrypted and non-RSA keys with an error that says what to do", async () => {
    const encrypted = privateKey
      .export({ type: "pkcs8", format: "pem", cipher: "aes-256-cbc", passphrase: "x" })
      .toString();
    const error = await importSigningKey(encrypted).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OracleError);
    expect((error as OracleError).message).toMatch(/encrypted/);
    expect((error as OracleError).retryable).toBe(false);
    await expect(
      importSigningKey("-----BEGIN CERTIFICATE-----\nAA==\n-----END CERTIFICATE-----"),
    ).rejects.toThrow(/not an RSA private key/);
  });
});
