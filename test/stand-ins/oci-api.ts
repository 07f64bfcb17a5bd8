/**
 * A STAND-IN for the Oracle Cloud Compute API (test code, 127.0.0.1 only). It verifies each
 * request's signature with the public key (and rejects bad ones with OCI's 401 NotAuthenticated
 * JSON), serves GET /20160918/instances/{id} and POST …?action=SOFTRESET|RESET|SOFTSTOP|START with
 * OCI's Instance JSON, honours `opc-retry-token` (same token → same answer, no second action), can
 * be scripted to fail with 429/500/404, and records every request and every action it performed.
 */
import { createPublicKey, type KeyObject } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { signatureProblem } from "./oci/verify-signature.ts";

/** OCI lifecycle states, verbatim. */
export type StandInLifecycle = "RUNNING" | "STARTING" | "STOPPING" | "STOPPED" | "TERMINATED";

/** An instance the stand-in knows; `onAction` is where a scenario's "VM" hears a reset. */
export interface StandInInstanceSpec {
  readonly id: string;
  readonly displayName?: string;
  readonly region?: string;
  readonly lifecycleState?: StandInLifecycle;
  readonly onAction?: (action: string, at: number) => void;
}

/** One request as received. */
export interface StandInRequest {
  readonly at: number;
  readonly method: string;
  readonly target: string;
  readonly status: number;
  readonly action?: string;
  readonly retryToken?: string;
  readonly replayed: boolean;
  readonly rejected?: string;
}

/** One action the stand-in performed (a replayed retry token performs nothing). */
export interface StandInAction {
  readonly at: number;
  readonly instanceId: string;
  readonly action: string;
  readonly retryToken: string | undefined;
}

/** A scripted failure for the next matching requests. */
export interface ScriptedFailure {
  readonly status: 404 | 409 | 429 | 500 | 503;
  readonly times?: number;
  readonly method?: "GET" | "POST";
}

/** How the stand-in is set up. */
export interface OciApiStandInOptions {
  /** The public key (PEM or KeyObject) matching the signer's private key. */
  readonly publicKey: string | KeyObject;
  /** The keyId every request must carry: tenancy/user/fingerprint. */
  readonly keyId: string;
  /** The server's clock for the date check (a scenario's injected clock). */
  readonly now?: () => number;
  readonly maxSkewMs?: number;
}

/** A running stand-in. */
export interface OciApiStandIn {
  /** Base URL to give the client as OCI_ENDPOINT. */
  readonly url: string;
  readonly requests: StandInRequest[];
  readonly actions: StandInAction[];
  addInstance(spec: StandInInstanceSpec): void;
  lifecycleState(id: string): StandInLifecycle | undefined;
  setLifecycleState(id: string, state: StandInLifecycle): void;
  failNext(failure: ScriptedFailure): void;
  close(): Promise<void>;
}

const errorBodies: Record<number, { code: string; message: string }> = {
  401: {
    code: "NotAuthenticated",
    message: "The required information to complete authentication was not provided or was incorrect.",
  },
  404: { code: "NotAuthorizedOrNotFound", message: "Authorization failed or requested resource not found." },
  409: { code: "IncorrectState", message: "The instance is not in a state that allows this action." },
  429: { code: "TooManyRequests", message: "Too many requests for the user." },
  500: { code: "InternalServerError", message: "Internal error occurred." },
  503: { code: "ServiceUnavailable", message: "The service is unavailable." },
};

const actions = new Set(["SOFTRESET", "RESET", "SOFTSTOP", "START", "STOP"]);

/** Starts the stand-in on 127.0.0.1 and an ephemeral port. */
export async function startOciApiStandIn(options: OciApiStandInOptions): Promise<OciApiStandIn> {
  const publicKey =
    typeof options.publicKey === "string" ? createPublicKey(options.publicKey) : options.publicKey;
  const now = options.now ?? Date.now;
  const maxSkewMs = options.maxSkewMs ?? 300_000;
  const instances = new Map<string, { spec: StandInInstanceSpec; state: StandInLifecycle }>();
  const tokens = new Map<string, { target: string; status: number; body: unknown }>();
  const failures: (ScriptedFailure & { left: number })[] = [];
  const requests: StandInRequest[] = [];
  const performed: StandInAction[] = [];
  let seq = 0;

  const instanceJson = (id: string, state: StandInLifecycle) => {
    const spec = instances.get(id)?.spec;
    return {
      availabilityDomain: "Uocm:EU-FRANKFURT-1-AD-1",
      compartmentId: "ocid1.compartment.oc1..standin",
      displayName: spec?.displayName ?? id.split(".").at(-1),
      faultDomain: "FAULT-DOMAIN-1",
      id,
      imageId: "ocid1.image.oc1.eu-frankfurt-1.standin",
      lifecycleState: state,
      region: spec?.region ?? "eu-frankfurt-1",
      shape: "VM.Standard.A1.Flex",
      timeCreated: "2025-01-01T00:00:00.000Z",
    };
  };

  function handle(
    req: IncomingMessage,
    body: string,
  ): { status: number; body: unknown; record: Partial<StandInRequest> } {
    const target = req.url ?? "/";
    const method = req.method ?? "GET";
    const problem = signatureProblem(
      { method, target, headers: req.headers, body },
      { publicKey, keyId: options.keyId, now: now(), maxSkewMs },
    );
    if (problem) return { status: 401, body: errorBodies[401], record: { rejected: problem } };
    const url = new URL(target, "http://stand-in");
    const match = /^\/20160918\/instances\/([^/]+)$/.exec(url.pathname);
    const action = url.searchParams.get("action") ?? undefined;
    const retryToken =
      typeof req.headers["opc-retry-token"] === "string" ? req.headers["opc-retry-token"] : undefined;
    const record = { ...(action ? { action } : {}), ...(retryToken ? { retryToken } : {}) };
    const failure = failures.find((f) => f.left > 0 && (f.method === undefined || f.method === method));
    if (failure) {
      failure.left -= 1;
      return { status: failure.status, body: errorBodies[failure.status], record };
    }
    if (!match || (method !== "GET" && method !== "POST"))
      return { status: 404, body: errorBodies[404], record };
    const id = decodeURIComponent(match[1] ?? "");
    const instance = instances.get(id);
    if (!instance) return { status: 404, body: errorBodies[404], record };
    if (method === "GET") return { status: 200, body: instanceJson(id, instance.state), record };
    if (!action || !actions.has(action))
      return { status: 400, body: { code: "InvalidParameter", message: "action is invalid" }, record };
    if (retryToken) {
      const earlier = tokens.get(retryToken);
      if (earlier && earlier.target !== target)
        return {
          status: 409,
          body: { code: "Conflict", message: "retry token reused for another request" },
          record,
        };
      if (earlier)
        return { status: earlier.status, body: earlier.body, record: { ...record, replayed: true } };
    }
    const resets = action === "SOFTRESET" || action === "RESET";
    if ((resets || action === "SOFTSTOP" || action === "STOP") && instance.state !== "RUNNING")
      return { status: 409, body: errorBodies[409], record };
    const shown: StandInLifecycle = action === "START" ? "STARTING" : "STOPPING";
    instance.state = action === "SOFTSTOP" || action === "STOP" ? "STOPPED" : "RUNNING";
    const at = now();
    performed.push({ at, instanceId: id, action, retryToken });
    const answer = { status: 200, body: instanceJson(id, shown) };
    if (retryToken) tokens.set(retryToken, { target, ...answer });
    instance.spec.onAction?.(action, at);
    return { ...answer, record };
  }

  function respond(res: ServerResponse, status: number, body: unknown): void {
    seq += 1;
    res.writeHead(status, { "content-type": "application/json", "opc-request-id": `standin-${seq}` });
    res.end(JSON.stringify(body));
  }

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const out = handle(req, Buffer.concat(chunks).toString("utf8"));
      requests.push({
        at: now(),
        method: req.method ?? "GET",
        target: req.url ?? "/",
        status: out.status,
        replayed: false,
        ...out.record,
      });
      respond(res, out.status, out.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    actions: performed,
    addInstance(spec) {
      instances.set(spec.id, { spec, state: spec.lifecycleState ?? "RUNNING" });
    },
    lifecycleState: (id) => instances.get(id)?.state,
    setLifecycleState(id, state) {
      const instance = instances.get(id);
      if (instance) instance.state = state;
    },
    failNext(failure) {
      failures.push({ ...failure, left: failure.times ?? 1 });
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
