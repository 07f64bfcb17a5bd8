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

function serve(onConnection: (ws: import("ws").WebSocket) => void, port = 0): Promise<string> {
  return new Promise((resolve) => {
    server = new WebSocketServer({ host: "127.0.0.1", port }, () =>
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

/** A backoff grown so far that its next wait is about 10 s: only a quick redial reconnects in the test's time. */
function grownBackoff() {
  return createBackoff({ baseMs: 10_000, capMs: 30_000, random: () => 0.999 });
}

/** Waits until `check()` holds or `ms` pass; returns the time it took, or null. */
async function within(ms: number, check: () => boolean): Promise<number | null> {
  const start = Date.now();
  while (Date.now() - start < ms) {
    if (check()) return Date.now() - start;
    await new Promise((r) => setTimeout(r, 10));
  }
  return check() ? Date.now() - start : null;
}

describe("a controller that restarts", () => {
  for (const [code, name] of [
    [1012, "service restart"],
    [1001, "going away"],
  ] as const) {
    it(`is redialled within about a second after it closes with ${code} (${name}), not after the grown backoff`, async () => {
      const opened: number[] = [];
      const url = await serve((ws) => {
        opened.push(Date.now());
        if (opened.length === 1) ws.close(code, "controller restarting");
      });
      const backoff = grownBackoff();
      link = startLink({
        controller: url,
        vm: "vm1",
        key: "k".repeat(20),
        backoff,
        onOpen: () => {},
        onFrame: () => {},
      });
      expect(await within(3000, () => opened.length >= 1)).not.toBeNull();
      const took = await within(1500, () => opened.length >= 2);
      expect(took).not.toBeNull();
      expect(opened[1]! - opened[0]!).toBeLessThan(1500);
      expect(await within(500, () => link?.isOpen() === true)).not.toBeNull();
    });
  }

  it("keeps redialling quickly while the restarted controller is not listening yet", async () => {
    let connections = 0;
    const url = await serve((ws) => {
      connections++;
      ws.close(1012, "controller restarting");
    });
    const port = Number(new URL(url).port);
    const backoff = grownBackoff();
    link = startLink({
      controller: url,
      vm: "vm1",
      key: "k".repeat(20),
      backoff,
      onOpen: () => {},
      onFrame: () => {},
    });
    expect(await within(3000, () => connections === 1)).not.toBeNull();
    // The controller process is gone: dials are refused (1006) for a while, then it listens again.
    await new Promise((r) => (server ? server.close(r) : r(null)));
    server = null;
    await new Promise((r) => setTimeout(r, 600));
    let back = 0;
    await serve(() => {
      back++;
    }, port);
    const took = await within(2500, () => back >= 1);
    expect(took).not.toBeNull();
  });

  for (const [label, close] of [
    ["drops the connection without a close frame (1006)", (ws: import("ws").WebSocket) => ws.terminate()],
    ["closes it with 1011 (internal error)", (ws: import("ws").WebSocket) => ws.close(1011, "crash")],
  ] as const) {
    it(`keeps the grown backoff when the controller ${label}`, async () => {
      let connections = 0;
      const url = await serve((ws) => {
        connections++;
        if (connections === 1) close(ws);
      });
      const backoff = grownBackoff();
      link = startLink({
        controller: url,
        vm: "vm1",
        key: "k".repeat(20),
        backoff,
        onOpen: () => {},
        onFrame: () => {},
      });
      expect(await within(3000, () => connections === 1)).not.toBeNull();
      expect(await within(2000, () => connections >= 2)).toBeNull();
      expect(backoff.attempts).toBe(1);
      expect(link.isOpen()).toBe(false);
    });
  }
});
