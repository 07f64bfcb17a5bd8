import { createHash } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer as createHttpsServer } from "node:https";
import { type AddressInfo, createServer, type Server, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { type WebSocket, WebSocketServer } from "ws";
import { makeLoopbackCert } from "../test/support/loopback-cert.ts";
import type { ConnectWebSocket, WsClient, WsClientEvents, WsClientOptions } from "./websocket-port.ts";
import { connectWebSocket as handWritten } from "./ws-client.ts";
import { connectWebSocket as wsLibrary } from "./ws-library-client.ts";

/**
 * The conformance suite of the WebSocket port: every scenario runs with the hand-written client and
 * with `ws` behind the same port, against a real `ws` server (or a raw TCP server for what `ws` would
 * never send), and both must behave the same.
 */
const clients: [string, ConnectWebSocket][] = [
  ["the hand-written client (ws-client.ts)", handWritten],
  ["the ws library (ws-library-client.ts)", wsLibrary],
];

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function wsServer(
  options: ConstructorParameters<typeof WebSocketServer>[0] = {},
): Promise<{ server: WebSocketServer; url: string }> {
  return new Promise((resolve) => {
    const server: WebSocketServer = new WebSocketServer({ host: "127.0.0.1", port: 0, ...options }, () =>
      resolve({ server, url: `ws://127.0.0.1:${(server.address() as AddressInfo).port}/sidecar?vm=vm1` }),
    );
    cleanups.push(() => {
      for (const client of server.clients) client.terminate();
      return new Promise((r) => server.close(() => r()));
    });
  });
}

/** A raw TCP server that answers the upgrade correctly and then writes the given bytes. */
function rawServer(
  afterUpgrade: (socket: Socket) => void,
  accept?: string,
  extraHeaders = "",
): Promise<string> {
  return new Promise((resolve) => {
    const server: Server = createServer((socket) => {
      let head = "";
      socket.on("data", (d) => {
        if (head.includes("\r\n\r\n")) return;
        head += d.toString("latin1");
        if (!head.includes("\r\n\r\n")) return;
        const key = /sec-websocket-key: (\S+)/i.exec(head)?.[1] ?? "";
        const digest =
          accept ?? createHash("sha1").update(`${key}258EAFA5-E914-47DA-95CA-C5AB0DC85B11`).digest("base64");
        socket.write(
          `HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${digest}\r\n${extraHeaders}\r\n`,
        );
        afterUpgrade(socket);
      });
      socket.on("error", () => {});
    });
    server.listen(0, "127.0.0.1", () => resolve(`ws://127.0.0.1:${(server.address() as AddressInfo).port}/`));
    cleanups.push(() => new Promise((r) => server.close(() => r())));
  });
}

interface Recorded {
  client: WsClient;
  messages: string[];
  pongs: string[];
  errors: string[];
  opened: Promise<void>;
  closed: Promise<{ code: number; reason: string }>;
  status: Promise<number>;
}

function open(connectWebSocket: ConnectWebSocket, url: string, options: WsClientOptions = {}): Recorded {
  const messages: string[] = [];
  const pongs: string[] = [];
  const errors: string[] = [];
  let onOpen = (): void => {};
  let onStatus = (_s: number): void => {};
  let onClosed = (_c: { code: number; reason: string }): void => {};
  const opened = new Promise<void>((r) => {
    onOpen = r;
  });
  const status = new Promise<number>((r) => {
    onStatus = r;
  });
  const closed = new Promise<{ code: number; reason: string }>((r) => {
    onClosed = r;
  });
  const events: WsClientEvents = {
    onOpen: () => onOpen(),
    onMessage: (text) => messages.push(text),
    onPong: (data) => pongs.push(data.toString()),
    onError: (e) => errors.push(e.message),
    onUnexpectedResponse: (s) => onStatus(s),
    onClose: (code, reason) => onClosed({ code, reason }),
  };
  const client = connectWebSocket(url, options, events);
  cleanups.push(() => client.terminate());
  return { client, messages, pongs, errors, opened, closed, status };
}

const until = async (check: () => boolean, ms = 3000): Promise<void> => {
  const deadline = Date.now() + ms;
  while (!check() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
  expect(check()).toBe(true);
};

/** One unmasked server frame. */
function serverFrame(opcode: number, payload: Buffer, fin = true, rsv = 0): Buffer {
  const head =
    payload.length < 126
      ? Buffer.from([(fin ? 0x80 : 0) | rsv | opcode, payload.length])
      : Buffer.from([(fin ? 0x80 : 0) | rsv | opcode, 126, payload.length >> 8, payload.length & 0xff]);
  return Buffer.concat([head, payload]);
}

describe.each(clients)("%s against a real ws server", (_name, connect) => {
  it("sends the upgrade with the Authorization header and exchanges text both ways", async () => {
    const { server, url } = await wsServer();
    let auth: string | undefined;
    let path: string | undefined;
    server.on("connection", (ws, req) => {
      auth = req.headers.authorization;
      path = req.url;
      ws.on("message", (data, binary) => ws.send(binary ? data : `echo:${data.toString()}`));
    });
    const c = open(connect, url, { headers: { Authorization: "Bearer k-123" } });
    await c.opened;
    expect(c.client.readyState).toBe(1);
    const big = "x".repeat(70_000);
    expect(c.client.send("héllo ✓")).toBe(true);
    expect(c.client.send(big)).toBe(true);
    expect(c.client.send("y".repeat(300))).toBe(true);
    await until(() => c.messages.length === 3);
    expect(c.messages).toEqual(["echo:héllo ✓", `echo:${big}`, `echo:${"y".repeat(300)}`]);
    expect(auth).toBe("Bearer k-123");
    expect(path).toBe("/sidecar?vm=vm1");
  });

  it("joins fragmented messages, answers pings, and takes interleaved control frames", async () => {
    const { server, url } = await wsServer();
    const pongs: string[] = [];
    server.on("connection", (ws: WebSocket) => {
      ws.on("pong", (d) => pongs.push(d.toString()));
      ws.send("part1-", { fin: false });
      ws.ping("mid");
      ws.send("part2-", { fin: false });
      ws.send("part3", { fin: true });
      ws.send("whole");
    });
    const c = open(connect, url);
    await until(() => c.messages.length === 2 && pongs.length === 1);
    expect(c.messages).toEqual(["part1-part2-part3", "whole"]);
    expect(pongs).toEqual(["mid"]);
  });

  it("closes with a handshake in both directions", async () => {
    const { server, url } = await wsServer();
    const seen: { code: number; reason: string }[] = [];
    server.on("connection", (ws) =>
      ws.on("close", (code, reason) => seen.push({ code, reason: `${reason}` })),
    );
    const a = open(connect, url);
    await a.opened;
    a.client.close(4001, "bye");
    expect(a.client.readyState).toBe(2);
    expect(await a.closed).toEqual({ code: 4001, reason: "bye" });
    await until(() => seen.length === 1);
    expect(seen[0]).toEqual({ code: 4001, reason: "bye" });

    server.removeAllListeners("connection");
    server.on("connection", (ws) => ws.close(1011, "flap"));
    const b = open(connect, url);
    expect(await b.closed).toEqual({ code: 1011, reason: "flap" });
    expect(b.client.readyState).toBe(3);
  });

  it("closes with 1009 when a message is over the limit", async () => {
    const { server, url } = await wsServer();
    let code = 0;
    server.on("connection", (ws) => {
      ws.on("close", (c) => {
        code = c;
      });
      ws.send("a".repeat(100), { fin: false });
      ws.send("b".repeat(100));
    });
    const c = open(connect, url, { maxPayload: 150 });
    expect((await c.closed).code).toBe(1009);
    await until(() => code === 1009);
    expect(c.messages).toEqual([]);
  });

  it("reports a refused upgrade with its status", async () => {
    const { url } = await wsServer({
      verifyClient: (_info, done: (ok: boolean, code?: number) => void) => done(false, 401),
    });
    const c = open(connect, url);
    expect(await c.status).toBe(401);
    expect((await c.closed).code).toBe(1006);
  });

  it("pings the server and hears its pong; send and ping say false once closed", async () => {
    const { url } = await wsServer();
    const c = open(connect, url);
    await c.opened;
    expect(c.client.ping(Buffer.from("are-you-there"))).toBe(true);
    await until(() => c.pongs.length === 1);
    expect(c.pongs).toEqual(["are-you-there"]);
    c.client.close();
    await c.closed;
    expect(c.client.send("late")).toBe(false);
    expect(c.client.ping()).toBe(false);
  });

  it("takes large frames (16- and 64-bit lengths) and binary messages from the server", async () => {
    const { server, url } = await wsServer();
    const big = "z".repeat(300_000);
    server.on("connection", (ws) => {
      ws.send("m".repeat(200));
      ws.send(big);
      ws.send(Buffer.from("bytes ✓"), { binary: true });
    });
    const c = open(connect, url);
    await until(() => c.messages.length === 3);
    expect(c.messages[0]).toBe("m".repeat(200));
    expect(c.messages[1]).toBe(big);
    expect(c.messages[2]).toBe("bytes ✓");
  });

  it("hears a server-initiated close without a code as 1005, and answers it", async () => {
    const { server, url } = await wsServer();
    const seen: number[] = [];
    server.on("connection", (ws) => {
      ws.on("close", (code) => seen.push(code));
      ws.close();
    });
    const c = open(connect, url);
    expect(await c.closed).toEqual({ code: 1005, reason: "" });
    await until(() => seen.length === 1);
  });

  it("speaks wss:// with a trusted certificate", async () => {
    const dir = mkdtempSync(join(tmpdir(), "voxops-ws-tls-"));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const made = makeLoopbackCert(dir);
    if (!made.ok) throw new Error(made.problem);
    const { cert } = made;
    const https = createHttpsServer({ cert, key: made.key });
    const wss = new WebSocketServer({ server: https });
    wss.on("connection", (ws) => ws.on("message", (d) => ws.send(`tls:${d.toString()}`)));
    await new Promise<void>((r) => https.listen(0, "127.0.0.1", r));
    cleanups.push(() => new Promise((r) => https.close(() => r())));
    cleanups.push(() => {
      for (const client of wss.clients) client.terminate();
    });
    const url = `wss://127.0.0.1:${(https.address() as AddressInfo).port}/`;
    const untrusted = open(connect, url);
    expect((await untrusted.closed).code).toBe(1006);
    expect(untrusted.errors.join(" ")).toMatch(/certificate/i);
    const c = open(connect, url, { ca: cert });
    await c.opened;
    c.client.send("hi");
    await until(() => c.messages.length === 1);
    expect(c.messages).toEqual(["tls:hi"]);
  });
});

describe.each(clients)("%s against a misbehaving server", (_name, connect) => {
  it("refuses a wrong Sec-WebSocket-Accept", async () => {
    const url = await rawServer(() => {}, "AAAAAAAAAAAAAAAAAAAAAAAAAAA=");
    const c = open(connect, url);
    expect((await c.closed).code).toBe(1006);
    expect(c.errors.join(" ")).toMatch(/invalid Sec-WebSocket-Accept header/i);
  });

  it("masks every frame it sends, with a fresh key each time", async () => {
    const got: Buffer[] = [];
    const url = await rawServer((socket) => socket.on("data", (d: Buffer) => got.push(d)));
    const c = open(connect, url);
    await c.opened;
    c.client.send("same text");
    c.client.send("same text");
    await until(() => Buffer.concat(got).length >= 2 * (2 + 4 + 9));
    const bytes = Buffer.concat(got);
    const frames = [bytes.subarray(0, 15), bytes.subarray(15, 30)];
    for (const frame of frames) {
      expect(frame[0]).toBe(0x81);
      expect((frame[1] ?? 0) & 0x80).toBe(0x80);
      expect((frame[1] ?? 0) & 0x7f).toBe(9);
      const mask = frame.subarray(2, 6);
      const text = Buffer.from(frame.subarray(6).map((b, i) => b ^ (mask[i & 3] ?? 0))).toString();
      expect(text).toBe("same text");
    }
    expect(frames[0]?.subarray(2, 6).equals(frames[1]?.subarray(2, 6) ?? Buffer.alloc(0))).toBe(false);
  });

  it("refuses an upgrade that picks an extension it did not offer", async () => {
    const url = await rawServer(() => {}, undefined, "Sec-WebSocket-Extensions: permessage-deflate\r\n");
    const c = open(connect, url);
    expect((await c.closed).code).toBe(1006);
    expect(c.errors.join(" ")).toMatch(/extension/i);
    expect(c.messages).toEqual([]);
  });

  it("refuses an answer that is not an upgrade", async () => {
    const server: Server = createServer((socket) => {
      socket.once("data", () => socket.end("HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok"));
      socket.on("error", () => {});
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    cleanups.push(() => new Promise((r) => server.close(() => r())));
    const c = open(connect, `ws://127.0.0.1:${(server.address() as AddressInfo).port}/`);
    expect(await c.status).toBe(200);
    expect((await c.closed).code).toBe(1006);
  });

  for (const [name, bytes, code] of [
    ["a masked server frame", Buffer.from([0x81, 0x81, 1, 2, 3, 4, 0x61]), 1002],
    ["reserved bits", serverFrame(0x1, Buffer.from("x"), true, 0x40), 1002],
    ["a reserved opcode", serverFrame(0x3, Buffer.from("x")), 1002],
    ["a fragmented ping", serverFrame(0x9, Buffer.from("x"), false), 1002],
    ["a lone continuation", serverFrame(0x0, Buffer.from("x")), 1002],
    ["text that is not UTF-8", serverFrame(0x1, Buffer.from([0xff, 0xfe])), 1007],
  ] as const) {
    it(`fails the connection on ${name}`, async () => {
      const got: Buffer[] = [];
      const url = await rawServer((socket) => {
        socket.on("data", (d: Buffer) => got.push(d));
        socket.write(serverFrame(0x1, Buffer.from("ok")));
        socket.write(bytes);
      });
      const c = open(connect, url);
      await until(() => Buffer.concat(got).length >= 8);
      const frame = Buffer.concat(got);
      expect(frame[0]).toBe(0x88);
      const mask = frame.subarray(2, 6);
      const sent = ((frame[6]! ^ mask[0]!) << 8) | (frame[7]! ^ mask[1]!);
      expect(sent).toBe(code);
      expect(c.messages).toEqual(["ok"]);
      c.client.terminate();
      expect((await c.closed).code).toBe(code);
    });
  }
});
