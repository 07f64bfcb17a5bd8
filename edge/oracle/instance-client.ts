/**
 * Oracle Cloud Compute instance client: read an instance's lifecycle state and send an instance
 * action (SOFTRESET, RESET, SOFTSTOP, START). Signed on WebCrypto, retried on 429/5xx with
 * full-jitter backoff and a bounded number of attempts; every POST carries an `opc-retry-token`.
 */
import * as z from "zod";
import { type BackoffPolicy, fullJitterDelay } from "../../protocol/backoff.ts";
import type { OracleConfig } from "./oracle-config.ts";
import { isRetryableOracleStatus, OracleError } from "./oracle-error.ts";
import { createRequestSigner } from "./request-signer.ts";

/** Instance actions the watchdog uses (the API has more). */
export type InstanceAction = "SOFTRESET" | "RESET" | "SOFTSTOP" | "START";

/** An instance's lifecycle state, verbatim from OCI. */
export type LifecycleState =
  | "MOVING"
  | "PROVISIONING"
  | "RUNNING"
  | "STARTING"
  | "STOPPING"
  | "STOPPED"
  | "CREATING_IMAGE"
  | "TERMINATING"
  | "TERMINATED";

const instanceSchema = z.looseObject({
  id: z.string(),
  displayName: z.string().optional(),
  lifecycleState: z.enum([
    "MOVING",
    "PROVISIONING",
    "RUNNING",
    "STARTING",
    "STOPPING",
    "STOPPED",
    "CREATING_IMAGE",
    "TERMINATING",
    "TERMINATED",
  ]),
  region: z.string().optional(),
  timeCreated: z.string().optional(),
});

/** The fields of OCI's Instance model the watchdog reads (field names verbatim). */
export type OracleInstance = z.infer<typeof instanceSchema>;

/** An instance with the request id OCI gave the call and how many attempts it took. */
export interface InstanceResult {
  readonly instance: OracleInstance;
  readonly opcRequestId: string | undefined;
  readonly attempts: number;
}

/** Reads and acts on instances. */
export interface InstanceClient {
  getInstance(instanceId: string, options?: { region?: string | undefined }): Promise<InstanceResult>;
  instanceAction(
    instanceId: string,
    action: InstanceAction,
    options: { retryToken: string; region?: string | undefined },
  ): Promise<InstanceResult>;
}

/** Options of the instance client; clock, sleep and randomness are injected for tests. */
export interface InstanceClientOptions {
  readonly config: OracleConfig;
  readonly fetch?: typeof fetch;
  readonly now?: () => number;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly random?: () => number;
  /** Attempts per call, first included (default 4). */
  readonly maxAttempts?: number;
  readonly backoff?: BackoffPolicy;
  /** Per-attempt timeout (default 10 s). */
  readonly timeoutMs?: number;
}

const API_VERSION = "20160918";

function describeFailure(
  status: number,
  body: { code?: string; message?: string },
  what: string,
  where: string,
): OracleError {
  const code = body.code ?? `http-${status}`;
  const said = body.message ? `: ${body.message}` : "";
  const base = { code, status, retryable: isRetryableOracleStatus(status) };
  if (status === 401)
    return new OracleError(`Oracle Cloud refused the request signature for ${what} (401 ${code})${said}`, {
      ...base,
      hint: "check this host's clock (OCI allows 5 minutes of skew) and that OCI_FINGERPRINT matches the API key uploaded for OCI_USER",
    });
  if (status === 404)
    return new OracleError(`Oracle Cloud does not know ${what} at ${where} (404 ${code})${said}`, {
      ...base,
      hint: "check the VM's oci.instanceId in the inventory and its region (oci.region or OCI_REGION); the user may also lack a policy for it",
    });
  if (status === 409)
    return new OracleError(
      `Oracle Cloud refused ${what} in the instance's current state (409 ${code})${said}`,
      {
        ...base,
        hint: "look at the instance in the console; it may be stopped, moving or already being reset",
      },
    );
  if (status === 429)
    return new OracleError(`Oracle Cloud throttled ${what} (429 ${code})${said}`, {
      ...base,
      hint: "too many calls; the watchdog retries later",
    });
  return new OracleError(`Oracle Cloud answered ${status} to ${what} (${code})${said}`, {
    ...base,
    hint: base.retryable ? "a fault on Oracle's side; the watchdog retries later" : "see the message",
  });
}

async function readJson(response: Response): Promise<unknown> {
  const text = await response.text();
  try {
    return text === "" ? {} : JSON.parse(text);
  } catch {
    return { message: text.slice(0, 200) };
  }
}

/** Creates the client; nothing is sent until a method is called. */
export function createInstanceClient(options: InstanceClientOptions): InstanceClient {
  const { config } = options;
  const doFetch = options.fetch ?? ((input, init) => fetch(input, init));
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const random = options.random ?? Math.random;
  const maxAttempts = Math.max(1, options.maxAttempts ?? 4);
  const backoff = options.backoff ?? { baseMs: 500, capMs: 8_000 };
  const timeoutMs = options.timeoutMs ?? 10_000;
  const signer = createRequestSigner(config, { now });

  const baseUrl = (region: string | undefined): string => {
    if (config.endpoint) return config.endpoint;
    const r = region ?? config.region;
    if (!r)
      throw new OracleError("no Oracle Cloud region for this instance", {
        code: "no-region",
        retryable: false,
        hint: "set oci.region on the VM in the inventory or OCI_REGION",
      });
    return `https://iaas.${r}.oraclecloud.com`;
  };

  async function call(
    method: "GET" | "POST",
    url: string,
    what: string,
    extra: Record<string, string>,
  ): Promise<InstanceResult> {
    const where = new URL(url).host;
    let lastError: OracleError | undefined;
    for (let attempt = 0; attempt < maxAttempts; attempt++) {
      if (attempt > 0) await sleep(fullJitterDelay(attempt - 1, backoff, random));
      const signed = await signer.sign({
        method,
        url,
        ...(method === "POST" ? { body: "" } : {}),
        headers: new Headers({ accept: "application/json", ...extra }),
      });
      // The runtime sets host and content-length itself (to the same values that were signed).
      signed.delete("host");
      signed.delete("content-length");
      let response: Response;
      try {
        response = await doFetch(url, {
          method,
          headers: signed,
          ...(method === "POST" ? { body: "" } : {}),
          signal: AbortSignal.timeout(timeoutMs),
        });
      } catch (cause) {
        lastError = new OracleError(`Oracle Cloud did not answer ${what} at ${where}`, {
          code: "network",
          retryable: true,
          hint: "the API was unreachable or slow; the watchdog retries later",
          cause,
        });
        continue;
      }
      const opcRequestId = response.headers.get("opc-request-id") ?? undefined;
      const body = await readJson(response);
      if (response.ok) {
        const parsed = instanceSchema.safeParse(body);
        if (parsed.success) return { instance: parsed.data, opcRequestId, attempts: attempt + 1 };
        throw new OracleError(`Oracle Cloud answered ${what} with an unexpected body`, {
          code: "bad-response",
          retryable: false,
          status: response.status,
          cause: parsed.error,
          ...(opcRequestId ? { opcRequestId } : {}),
        });
      }
      const fields = typeof body === "object" && body !== null ? (body as Record<string, unknown>) : {};
      const error = describeFailure(
        response.status,
        {
          ...(typeof fields["code"] === "string" ? { code: fields["code"] } : {}),
          ...(typeof fields["message"] === "string" ? { message: fields["message"] } : {}),
        },
        what,
        where,
      );
      if (!error.retryable) throw error;
      lastError = error;
    }
    throw lastError ?? new OracleError(`${what} failed`, { code: "unknown", retryable: true });
  }

  return {
    getInstance(instanceId, opts = {}) {
      const url = `${baseUrl(opts.region)}/${API_VERSION}/instances/${encodeURIComponent(instanceId)}`;
      return call("GET", url, `GET instance ${instanceId}`, {});
    },
    instanceAction(instanceId, action, opts) {
      const url = `${baseUrl(opts.region)}/${API_VERSION}/instances/${encodeURIComponent(instanceId)}?action=${action}`;
      return call("POST", url, `${action} of instance ${instanceId}`, { "opc-retry-token": opts.retryToken });
    },
  };
}
