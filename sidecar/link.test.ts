import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { WebSocketServer } from "ws";
import { createBackoff } from "../protocol/backoff.ts";
import { type Link, sidecarUrl, startLink } from "./link.ts";

let server: WebSocketServer | null = null;
let link: Link | null = null;
afterEach(async () => {
  link?.stop();
  await new Promise((r) => (server ? server.close(r) : r(null)));
  server = null;
});

function serve(onConnection: (ws: import("ws").WebSocket) => void): Promise<string> {
  return new Promise((resolve) => {
    server = new WebSocketServer({ host: "127.0.0.1", port: 0 }, () =>
      resolve(`http://127.0.0.1:${(server!.address() as AddressInfo).port}`),
    );
    server.on("connection", onConnection);
  });
}

describe("full-jitter backoff", () => {
  it("draws each wait below a doubling ceiling capped at the maximum", () => {
    const b = createBackoff({ baseMs: 100, capMs: 1000, random: () => 0.999 });
    expect([b.next(), b.next(), b.next(), b.next(), b.next()]).toEqual([99, 199, 399, 799, 999]);
    b.reset();
    expect(b.next()).toBe(99);
    const zero = createBackoff({ random: () => 0 });
    expect(zero.next()).toBe(0);
  });
});

describe("the controller link", () => {
  it("builds the socket URL from http and https controllers", () => {
    expect(sidecarUrl("https://edge.example/base/", "vm1")).toBe("wss://edge.example/base/sidecar?vm=vm1");
    expect(sidecarUrl("http://127.0.0.1:8787", "vm2")).toBe("ws://127.0.0.1:8787/sidecar?vm=vm2");
  });

  it("keeps backing off while a link flaps, and resets only after it stayed up", async () => {
    let connections = 0;
    let holdOpen = false;
    const url = await serve((ws) => {
      connections++;
      if (!holdOpen) ws.close(1011, "flap");
    });
    const backoff = createBackoff({ baseMs: 20, capMs: 200 });
    link = startLink({
      controller: url,
      vm: "vm1",
      key: "k".repeat(20),
      backoff,
      minUptimeMs: 300,
      onOpen: () => {},
      onFrame: () => {},
    });
    await new Promise((r) => setTimeout(r, 400));
    expect(connections).toBeGreaterThanOrEqual(3);
    expect(backoff.attempts).toBeGreaterThanOrEqual(3);
    holdOpen = true;
    await new Promise((r) => setTimeout(r, 1200));
    expect(link.isOpen()).toBe(true);
    expect(backoff.attempts).toBe(0);
  });

  it("sends the key as a bearer header and answers invalid frames with an error frame", async () => {
    let auth: string | undefined;
    const received: string[] = [];
    const url = await serve((ws) => {
      ws.on("message", (d) => received.push(d.toString()));
      ws.send("not json");
    });
    server!.on("headers", (_h, req) => {
      auth = req.headers.authorization;
    });
    link = startLink({
      controller: url,
      vm: "vm1",
      key: "secret-key-123456789",
      onOpen: () => {},
      onFrame: () => {},
    });
    const deadline = Date.now() + 3000;
    while (received.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(auth).toBe("Bearer secret-key-123456789");
    expect(JSON.parse(received[0]!)).toMatchObject({ type: "error", code: "bad-json" });
  });
});
