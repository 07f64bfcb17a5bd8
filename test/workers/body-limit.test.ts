// The request-body limit on the edge, inside workerd: every route of the app refuses a declared
// oversize body at the Worker's entry and a streamed (unsized) one inside the Durable Object, with 413
// and a sentence, and still reads a body under the limit.
import { env, runInDurableObject, SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { MAX_REQUEST_BODY_BYTES } from "../../edge/request-body-limit.ts";
import type { Env } from "../../edge/workers/env.ts";
import type { Fleet } from "../../edge/workers/fleet-object.ts";

const ADMIN = { authorization: "Bearer test-admin-token-0000", "content-type": "application/json" };
const bindings = env as unknown as Env;

/** The app's routes as concrete paths, read from the Durable Object's own app. */
async function routes(): Promise<{ method: string; path: string }[]> {
  const stub = bindings.FLEET.get(bindings.FLEET.idFromName("fleet"));
  const list = await runInDurableObject(
    stub,
    (instance: Fleet) =>
      (instance as unknown as { runtime: { app: { routes: { method: string; path: string }[] } } }).runtime
        .app.routes,
  );
  const seen = new Set<string>();
  return list
    .filter((r) => r.method !== "ALL" && !r.path.includes("*"))
    .map((r) => ({ method: r.method, path: r.path.replace(/:[a-z]+/gi, "x") }))
    .filter((r) => !seen.has(`${r.method} ${r.path}`) && seen.add(`${r.method} ${r.path}`))
    .concat([{ method: "POST", path: "/telegram" }]);
}

/** A body of `total` bytes that arrives in 64 KiB pieces with no declared length. */
function stream(total: number): { body: ReadableStream<Uint8Array>; pulled: () => number } {
  let sent = 0;
  const piece = new Uint8Array(65_536).fill(0x20);
  return {
    pulled: () => sent,
    body: new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent >= total) return controller.close();
        sent += piece.length;
        controller.enqueue(piece);
      },
    }),
  };
}

describe("the request-body limit on the edge (workerd)", () => {
  it("refuses a declared oversize body on every route with 413 and a sentence", async () => {
    const all = await routes();
    expect(all.map((r) => `${r.method} ${r.path}`)).toContain("POST /agent/ask");
    for (const { method, path } of all) {
      const res = await SELF.fetch(`http://voxops.test${path}`, {
        method: method === "GET" ? "POST" : method,
        headers: { ...ADMIN, "content-length": String(MAX_REQUEST_BODY_BYTES + 1) },
        body: new Uint8Array(MAX_REQUEST_BODY_BYTES + 1),
      });
      expect({ route: `${method} ${path}`, status: res.status }).toEqual({
        route: `${method} ${path}`,
        status: 413,
      });
      const answer = (await res.json()) as { message: string };
      expect(answer.message).toMatch(/^The request body is larger than 1024 KB.*\.$/);
    }
  });

  it("refuses a streamed oversize body on every route inside the Durable Object, before reading it all", async () => {
    for (const { method, path } of await routes()) {
      if (method === "GET") continue;
      const { body, pulled } = stream(32 * MAX_REQUEST_BODY_BYTES);
      const res = await SELF.fetch(`http://voxops.test${path}`, {
        method,
        headers: ADMIN,
        body,
        duplex: "half",
      } as RequestInit);
      expect({ route: `${method} ${path}`, status: res.status }).toEqual({
        route: `${method} ${path}`,
        status: 413,
      });
      expect(pulled()).toBeLessThan(16 * MAX_REQUEST_BODY_BYTES);
      await res.body?.cancel();
    }
  });

  it("still reads a body under the limit", async () => {
    const res = await SELF.fetch("http://voxops.test/agent/ask", {
      method: "POST",
      headers: ADMIN,
      body: JSON.stringify({ text: `status vm1 ${" ".repeat(MAX_REQUEST_BODY_BYTES - 100)}` }),
    });
    expect(res.status).not.toBe(413);
    expect(((await res.json()) as { text: string }).text).toEqual(expect.any(String));
  });
});
