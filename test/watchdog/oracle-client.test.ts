import { generateKeyPairSync } from "node:crypto";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createInstanceClient } from "../../edge/oracle/instance-client.ts";
import { readOracleConfig } from "../../edge/oracle/oracle-config.ts";
import { OracleError } from "../../edge/oracle/oracle-error.ts";
import { type OciApiStandIn, startOciApiStandIn } from "../stand-ins/oci-api.ts";

const pair = generateKeyPairSync("rsa", { modulusLength: 2048 });
const privatePem = pair.privateKey.export({ type: "pkcs8", format: "pem" }).toString();
const pkcs1Pem = pair.privateKey.export({ type: "pkcs1", format: "pem" }).toString();
const publicPem = pair.publicKey.export({ type: "spki", format: "pem" }).toString();
const env = {
  OCI_TENANCY: "ocid1.tenancy.oc1..aaaatest",
  OCI_USER: "ocid1.user.oc1..aaaatest",
  OCI_FINGERPRINT: "aa:bb:cc:dd:ee:ff:00:11:22:33:44:55:66:77:88:99",
  OCI_PRIVATE_KEY: privatePem,
  OCI_REGION: "eu-frankfurt-1",
};
const keyId = `${env.OCI_TENANCY}/${env.OCI_USER}/${env.OCI_FINGERPRINT}`;
const vm1 = "ocid1.instance.oc1.eu-frankfurt-1.vm1";

let api: OciApiStandIn;
beforeEach(async () => {
  api = await startOciApiStandIn({ publicKey: publicPem, keyId });
  api.addInstance({ id: vm1, displayName: "vm1" });
});
afterEach(() => api.close());

function client(over: Record<string, string> = {}, opts: { now?: () => number; sleeps?: number[] } = {}) {
  const read = readOracleConfig({ ...env, OCI_ENDPOINT: api.url, ...over });
  if (!read.ok) throw new Error(read.errors.join("; "));
  const sleeps = opts.sleeps ?? [];
  return createInstanceClient({
    config: read.config,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    random: () => 0.5,
    maxAttempts: 3,
    backoff: { baseMs: 400, capMs: 1_000 },
    ...(opts.now ? { now: opts.now } : {}),
  });
}

describe("instance client against the Oracle stand-in", () => {
  it("reads the lifecycle state with a signature the stand-in verifies", async () => {
    const result = await client().getInstance(vm1);
    expect(result.instance.lifecycleState).toBe("RUNNING");
    expect(result.opcRequestId).toMatch(/^standin-/);
    expect(api.requests).toMatchObject([{ method: "GET", status: 200 }]);
    expect(api.requests[0]?.rejected).toBeUndefined();
  });

  it("signs with a PKCS#1 key too", async () => {
    await expect(client({ OCI_PRIVATE_KEY: pkcs1Pem }).getInstance(vm1)).resolves.toBeDefined();
  });

  it("performs an action once per retry token, however often it is sent", async () => {
    const c = client();
    const first = await c.instanceAction(vm1, "RESET", { retryToken: "voxops-token-1" });
    const again = await c.instanceAction(vm1, "RESET", { retryToken: "voxops-token-1" });
    expect(first.instance.lifecycleState).toBe("STOPPING");
    expect(again.instance).toEqual(first.instance);
    expect(api.actions.map((a) => a.action)).toEqual(["RESET"]);
    expect(api.requests.map((r) => r.replayed)).toEqual([false, true]);
    await c.instanceAction(vm1, "SOFTRESET", { retryToken: "voxops-token-2" });
    expect(api.actions.map((a) => a.action)).toEqual(["RESET", "SOFTRESET"]);
  });

  it("retries 429 and 5xx with jittered backoff and reports the attempts", async () => {
    api.failNext({ status: 429 });
    api.failNext({ status: 503 });
    const sleeps: number[] = [];
    const result = await client({}, { sleeps }).instanceAction(vm1, "SOFTRESET", { retryToken: "t-429" });
    expect(result.attempts).toBe(3);
    expect(sleeps).toEqual([200, 400]);
    expect(api.actions).toHaveLength(1);
  });

  it("gives up after the bounded attempts with a retryable error", async () => {
    api.failNext({ status: 500, times: 5 });
    const error = await client()
      .instanceAction(vm1, "RESET", { retryToken: "t-500" })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OracleError);
    expect(error).toMatchObject({ status: 500, code: "InternalServerError", retryable: true });
    expect(api.requests).toHaveLength(3);
    expect(api.actions).toHaveLength(0);
  });

  it("says the instance id or region is wrong on 404, without retrying", async () => {
    const error = await client()
      .instanceAction("ocid1.instance.oc1.eu-frankfurt-1.nope", "RESET", { retryToken: "t-404" })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 404, code: "NotAuthorizedOrNotFound", retryable: false });
    expect((error as OracleError).hint).toMatch(/instanceId.*region/);
    expect(api.requests).toHaveLength(1);
  });

  it("says to check the clock and the fingerprint on 401, for a skewed clock and a wrong key", async () => {
    const skewed = await client({}, { now: () => Date.now() + 10 * 60_000 })
      .getInstance(vm1)
      .catch((e: unknown) => e);
    expect(skewed).toMatchObject({ status: 401, code: "NotAuthenticated", retryable: false });
    expect((skewed as OracleError).hint).toMatch(/clock.*OCI_FINGERPRINT/);
    expect(api.requests[0]?.rejected).toMatch(/s off/);
    const other = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey;
    const wrongKey = await client({
      OCI_PRIVATE_KEY: other.export({ type: "pkcs8", format: "pem" }).toString(),
    })
      .getInstance(vm1)
      .catch((e: unknown) => e);
    expect(wrongKey).toMatchObject({ status: 401 });
    expect(api.requests[1]?.rejected).toMatch(/does not verify/);
  });

  it("rejects a request whose body does not match x-content-sha256", async () => {
    const read = readOracleConfig({ ...env, OCI_ENDPOINT: api.url });
    if (!read.ok) throw new Error("config");
    const tamper: typeof fetch = (input, init) => fetch(input, { ...init, body: "{}" });
    const error = await createInstanceClient({ config: read.config, fetch: tamper, maxAttempts: 1 })
      .instanceAction(vm1, "RESET", { retryToken: "t-tamper" })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 401 });
    expect(api.requests[0]?.rejected).toMatch(/x-content-sha256|content-length|does not verify/);
    expect(api.actions).toHaveLength(0);
  });
});

describe("readOracleConfig", () => {
  it("names what is missing or malformed and never echoes the key", () => {
    const read = readOracleConfig({ OCI_FINGERPRINT: "zz", OCI_PRIVATE_KEY: "secret-material" });
    expect(read.ok).toBe(false);
    const errors = read.ok ? [] : read.errors;
    expect(errors).toContain("OCI_TENANCY: missing");
    expect(errors.some((e) => e.startsWith("OCI_FINGERPRINT: expected"))).toBe(true);
    expect(errors.join(" ")).not.toContain("secret-material");
  });

  it("allows plain http only to the loopback stand-in and keeps the key out of JSON", () => {
    expect(readOracleConfig({ ...env, OCI_ENDPOINT: "http://10.0.0.1:8080" }).ok).toBe(false);
    const read = readOracleConfig({ ...env, OCI_ENDPOINT: "http://127.0.0.1:9/" });
    expect(read.ok && read.config.endpoint).toBe("http://127.0.0.1:9");
    expect(JSON.stringify(read)).not.toContain("PRIVATE KEY");
    expect(String(read.ok && read.config.privateKey)).toBe("[secret]");
  });
});
