// The request-body limit on the Node host (the Fly mirror and the local run), over real HTTP, on
// every route the app serves: a declared oversize body and a chunked one are both refused with 413
// and a sentence, and a chunked body is refused while it is still streaming in.
import { request } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readConfig } from "../../edge/core/config.ts";
import { type NodeHost, startNodeHost } from "../../edge/node/server.ts";
import { MAX_REQUEST_BODY_BYTES } from "../../edge/request-body-limit.ts";

const ADMIN = "limits-admin-token-0001";
const SECRET = "limits-webhook-secret-0001";
const env = {
  VOXOPS_API_TOKENS: `${ADMIN}:admin`,
  VOXOPS_SIDECAR_KEYS: "vm1=limits-key-of-vm1-0001",
  TELEGRAM_BOT_TOKEN: "123456:limits-bot-token",
  TELEGRAM_ADMINS: "1",
  TELEGRAM_WEBHOOK_SECRET: SECRET,
  TELEGRAM_BOT_INFO: JSON.stringify({ id: 123456, is_bot: true, first_name: "t", username: "limits_bot" }),
  // Nothing listens here: no request in this file may need the Bot API.
  TELEGRAM_API_ROOT: "http://127.0.0.1:9",
};

let host: NodeHost;
beforeAll(async () => {
  host = await startNodeHost({ config: readConfig(env), env, port: 0, dbPath: ":memory:" });
});
afterAll(async () => {
  await host?.close();
});

/** Every route of the app as a concrete path (parameters filled in). */
function routes(): { method: string; path: string }[] {
  const seen = new Set<string>();
  return host.runtime.app.routes
    .filter((r) => r.method !== "ALL" && !r.path.includes("*"))
    .map((r) => ({ method: r.method, path: r.path.replace(/:[a-z]+/gi, "x") }))
    .filter((r) => !seen.has(`${r.method} ${r.path}`) && seen.add(`${r.method} ${r.path}`));
}

type Sent = { status: number; body: string; bytesSentBeforeAnswer: number };

/** Sends `total` bytes to a route, declared (Content-Length) or chunked, in 64 KiB pieces. */
function send(method: string, path: string, total: number, chunked: boolean): Promise<Sent> {
  return new Promise((resolve, reject) => {
    let written = 0;
    let answeredAt = -1;
    const req = request(`${host.url}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${ADMIN}`,
        "x-telegram-bot-api-secret-token": SECRET,
        "content-type": "application/json",
        ...(chunked ? { "transfer-encoding": "chunked" } : { "content-length": String(total) }),
      },
    });
    req.on("response", (res) => {
      answeredAt = written;
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (d: string) => {
        body += d;
      });
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body, bytesSentBeforeAnswer: answeredAt }));
      res.on("error", reject);
    });
    // The server may close the socket while the body is still going out; the answer is what counts.
    req.on("error", (error) => (answeredAt < 0 ? reject(error) : undefined));
    const piece = Buffer.alloc(65_536, 0x20);
    const pump = () => {
      while (written < total && answeredAt < 0) {
        const n = Math.min(piece.length, total - written);
        written += n;
        if (!req.write(n === piece.length ? piece : piece.subarray(0, n)))
          return void req.once("drain", pump);
      }
      if (answeredAt < 0) req.end();
    };
    pump();
  });
}

describe("the request-body limit on the Node host", () => {
  it("knows the routes it guards, including the Telegram webhook", () => {
    const paths = routes().map((r) => `${r.method} ${r.path}`);
    expect(paths).toContain("POST /agent/ask");
    expect(paths).toContain("POST /telegram");
    expect(paths).toContain("GET /agent/health");
    expect(paths.length).toBeGreaterThan(15);
  });

  it("refuses a declared oversize body on every route with 413 and a sentence", async () => {
    for (const { method, path } of routes()) {
      const sent = await send(method, path, MAX_REQUEST_BODY_BYTES + 1, false);
      expect({ route: `${method} ${path}`, status: sent.status }).toEqual({
        route: `${method} ${path}`,
        status: 413,
      });
      expect(JSON.parse(sent.body).message).toMatch(/^The request body is larger than 1024 KB.*\.$/);
    }
  });

  it("refuses a chunked oversize body on every route while it still streams in", async () => {
    for (const { method, path } of routes()) {
      const sent = await send(method, path, 64 * MAX_REQUEST_BODY_BYTES, true);
      expect({ route: `${method} ${path}`, status: sent.status }).toEqual({
        route: `${method} ${path}`,
        status: 413,
      });
      // Answered long before the 64 MiB were sent: the body was counted, not buffered whole.
      expect(sent.bytesSentBeforeAnswer).toBeLessThan(16 * MAX_REQUEST_BODY_BYTES);
    }
  });

  it("still reads a body under the limit", async () => {
    const text = JSON.stringify({ text: `status vm1 ${" ".repeat(MAX_REQUEST_BODY_BYTES - 100)}` });
    for (const chunked of [false, true]) {
      const res = await new Promise<Sent>((resolve, reject) => {
        const req = request(`${host.url}/agent/ask`, {
          method: "POST",
          headers: {
            authorization: `Bearer ${ADMIN}`,
            "content-type": "application/json",
            ...(chunked ? { "transfer-encoding": "chunked" } : { "content-length": Buffer.byteLength(text) }),
          },
        });
        req.on("response", (r) => {
          let body = "";
          r.on("data", (d) => {
            body += String(d);
          });
          r.on("end", () => resolve({ status: r.statusCode ?? 0, body, bytesSentBeforeAnswer: 0 }));
        });
        req.on("error", reject);
        req.end(text);
      });
      expect(res.status).not.toBe(413);
      expect(JSON.parse(res.body).text).toEqual(expect.any(String));
    }
  });
});
