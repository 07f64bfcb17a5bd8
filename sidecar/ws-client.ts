/**
 * A small RFC 6455 WebSocket client over node:net / node:tls, so the sidecar does not load `ws`
 * (and with it node:http, https and zlib). Client frames are masked; server frames are checked
 * (no mask, no reserved bits, control frames short and unfragmented, UTF-8 text, size limit);
 * pings are answered, fragmented messages are joined, and close is a two-way handshake.
 */
import { isUtf8 } from "node:buffer";
import { closeSync, openSync, readSync } from "node:fs";
import type { Socket } from "node:net";

const GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
const MAX_HEADER_BYTES = 16 * 1024;
const CLOSE_WAIT_MS = 3_000;

/** The socket's state, numbered as the WHATWG WebSocket's readyState. */
export type WsReadyState = 0 | 1 | 2 | 3;

/** What a caller hears from a client socket; every callback is optional. */
export interface WsClientEvents {
  /** The handshake succeeded. */
  readonly onOpen?: () => void;
  /** A whole message arrived (fragments joined); binary messages are decoded as UTF-8 too. */
  readonly onMessage?: (text: string, binary: boolean) => void;
  readonly onPong?: (data: Buffer) => void;
  /** The server answered the upgrade with something other than 101. */
  readonly onUnexpectedResponse?: (status: number, headers: Readonly<Record<string, string>>) => void;
  readonly onError?: (error: Error) => void;
  /** Called once when the TCP connection is gone: the peer's close code, the code this side failed the connection with, or 1006. */
  readonly onClose?: (code: number, reason: string) => void;
}

/** Connection settings. */
export interface WsClientOptions {
  /** Extra request headers for the upgrade, such as Authorization. */
  readonly headers?: Readonly<Record<string, string>>;
  /** Largest message accepted, in bytes; larger ones close the socket with 1009 (default 1 MiB). */
  readonly maxPayload?: number;
  /** Time allowed for TCP, TLS and the upgrade together (default 10 s). */
  readonly handshakeTimeoutMs?: number;
  /** Extra trusted certificates for wss:// (tests; deployments use the system store or NODE_EXTRA_CA_CERTS). */
  readonly ca?: string | Buffer;
}

/** An open or opening client socket. */
export interface WsClient {
  readonly readyState: WsReadyState;
  /** Sends one text message; false when the socket is not open. */
  send(text: string): boolean;
  ping(data?: Buffer): boolean;
  /** Starts the closing handshake. */
  close(code?: number, reason?: string): void;
  /** Drops the connection at once. */
  terminate(): void;
}

let pool: Buffer = Buffer.alloc(0);
let poolAt = 0;

/** Unpredictable bytes from the kernel's CSPRNG (node:crypto is only loaded if /dev/urandom cannot be read). */
export function randomBytes(n: number): Buffer {
  if (poolAt + n > pool.length) {
    pool = Buffer.allocUnsafe(Math.max(4096, n));
    poolAt = 0;
    try {
      const fd = openSync("/dev/urandom", "r");
      try {
        let got = 0;
        while (got < pool.length) got += readSync(fd, pool, got, pool.length - got, null);
      } finally {
        closeSync(fd);
      }
    } catch {
      process.getBuiltinModule("node:crypto").randomFillSync(pool);
    }
  }
  const out = Buffer.from(pool.subarray(poolAt, poolAt + n));
  pool.fill(0, poolAt, poolAt + n);
  poolAt += n;
  return out;
}

/** SHA-1 of a byte string as base64: only for checking Sec-WebSocket-Accept, not for security. */
export function sha1Base64(input: Buffer): string {
  const bitLength = input.length * 8;
  const padded = Buffer.alloc((((input.length + 8) >> 6) + 1) * 64);
  input.copy(padded);
  padded[input.length] = 0x80;
  padded.writeUInt32BE(Math.floor(bitLength / 2 ** 32), padded.length - 8);
  padded.writeUInt32BE(bitLength >>> 0, padded.length - 4);
  let h0 = 0x67452301;
  let h1 = 0xefcdab89;
  let h2 = 0x98badcfe;
  let h3 = 0x10325476;
  let h4 = 0xc3d2e1f0;
  const w = new Int32Array(80);
  for (let block = 0; block < padded.length; block += 64) {
    for (let i = 0; i < 16; i++) w[i] = padded.readInt32BE(block + i * 4);
    for (let i = 16; i < 80; i++) {
      const x = (w[i - 3] ?? 0) ^ (w[i - 8] ?? 0) ^ (w[i - 14] ?? 0) ^ (w[i - 16] ?? 0);
      w[i] = (x << 1) | (x >>> 31);
    }
    let a = h0;
    let b = h1;
    let c = h2;
    let d = h3;
    let e = h4;
    for (let i = 0; i < 80; i++) {
      const f =
        i < 20
          ? ((b & c) | (~b & d)) + 0x5a827999
          : i < 40
            ? (b ^ c ^ d) + 0x6ed9eba1
            : i < 60
              ? ((b & c) | (b & d) | (c & d)) + 0x8f1bbcdc
              : (b ^ c ^ d) + 0xca62c1d6;
      const t = (((a << 5) | (a >>> 27)) + f + e + (w[i] ?? 0)) | 0;
      e = d;
      d = c;
      c = (b << 30) | (b >>> 2);
      b = a;
      a = t;
    }
    h0 = (h0 + a) | 0;
    h1 = (h1 + b) | 0;
    h2 = (h2 + c) | 0;
    h3 = (h3 + d) | 0;
    h4 = (h4 + e) | 0;
  }
  const out = Buffer.alloc(20);
  [h0, h1, h2, h3, h4].forEach((h, i) => {
    out.writeInt32BE(h, i * 4);
  });
  return out.toString("base64");
}

/** Whether a close code may appear in a close frame on the wire. */
function validCloseCode(code: number): boolean {
  return (
    (code >= 1000 && code <= 1014 && code !== 1004 && code !== 1005 && code !== 1006) ||
    (code >= 3000 && code <= 4999)
  );
}

/** Encodes one masked client frame. */
function encodeFrame(opcode: number, payload: Buffer): Buffer {
  const length = payload.length;
  const extra = length < 126 ? 0 : length < 65536 ? 2 : 8;
  const frame = Buffer.allocUnsafe(2 + extra + 4 + length);
  frame[0] = 0x80 | opcode;
  if (extra === 0) frame[1] = 0x80 | length;
  else if (extra === 2) {
    frame[1] = 0x80 | 126;
    frame.writeUInt16BE(length, 2);
  } else {
    frame[1] = 0x80 | 127;
    frame.writeUInt32BE(Math.floor(length / 2 ** 32), 2);
    frame.writeUInt32BE(length >>> 0, 6);
  }
  const maskAt = 2 + extra;
  randomBytes(4).copy(frame, maskAt);
  const dataAt = maskAt + 4;
  for (let i = 0; i < length; i++) frame[dataAt + i] = (payload[i] ?? 0) ^ (frame[maskAt + (i & 3)] ?? 0);
  return frame;
}

/** Opens a WebSocket to a ws:// or wss:// URL. */
export function connectWebSocket(
  address: string,
  options: WsClientOptions = {},
  events: WsClientEvents = {},
): WsClient {
  const url = new URL(address);
  if (url.protocol !== "ws:" && url.protocol !== "wss:") throw new Error(`not a WebSocket URL: ${address}`);
  const secure = url.protocol === "wss:";
  const host = url.hostname.replace(/^\[(.*)\]$/, "$1");
  const port = Number(url.port || (secure ? 443 : 80));
  const maxPayload = options.maxPayload ?? 1024 * 1024;
  const key = randomBytes(16).toString("base64");

  let state: WsReadyState = 0;
  let upgraded = false;
  let header: Buffer = Buffer.alloc(0);
  let buffered: Buffer[] = [];
  let bufferedBytes = 0;
  let fragments: Buffer[] = [];
  let fragmentBytes = 0;
  let fragmentOpcode = 0;
  let closeSent = false;
  let closeCode = 1006;
  let closeReason = "";
  let closed = false;
  let failed = false;
  let closeTimer: ReturnType<typeof setTimeout> | null = null;

  const socket: Socket = secure
    ? process.getBuiltinModule("node:tls").connect({
        host,
        port,
        ...(/^[\d.]+$|:/.test(host) ? {} : { servername: host }),
        ALPNProtocols: ["http/1.1"],
        ...(options.ca === undefined ? {} : { ca: options.ca }),
      })
    : process.getBuiltinModule("node:net").connect({ host, port });
  socket.setNoDelay(true);

  const handshakeTimer = setTimeout(() => {
    fail(new Error("the WebSocket handshake timed out"));
  }, options.handshakeTimeoutMs ?? 10_000);

  function fail(error: Error): void {
    events.onError?.(error);
    socket.destroy();
  }

  function protocolError(code: number, message: string): void {
    failed = true;
    closeCode = code;
    events.onError?.(new Error(message));
    sendClose(code, "");
    socket.end();
    armCloseTimer();
  }

  function armCloseTimer(): void {
    if (closeTimer) return;
    closeTimer = setTimeout(() => socket.destroy(), CLOSE_WAIT_MS);
    closeTimer.unref?.();
  }

  function sendClose(code: number, reason: string): void {
    if (closeSent || socket.destroyed) return;
    closeSent = true;
    state = 2;
    const reasonBytes = Buffer.from(reason.slice(0, 120), "utf8").subarray(0, 123);
    const payload = Buffer.allocUnsafe(2 + reasonBytes.length);
    payload.writeUInt16BE(code, 0);
    reasonBytes.copy(payload, 2);
    socket.write(encodeFrame(0x8, payload));
  }

  function onHandshakeData(chunk: Buffer): void {
    header = header.length === 0 ? chunk : Buffer.concat([header, chunk]);
    const end = header.indexOf("\r\n\r\n");
    if (end < 0) {
      if (header.length > MAX_HEADER_BYTES) fail(new Error("the upgrade response headers are too large"));
      return;
    }
    clearTimeout(handshakeTimer);
    const lines = header.subarray(0, end).toString("latin1").split("\r\n");
    const rest = header.subarray(end + 4);
    header = Buffer.alloc(0);
    const status = /^HTTP\/1\.[01] (\d{3})/.exec(lines[0] ?? "");
    const headers: Record<string, string> = {};
    for (const line of lines.slice(1)) {
      const colon = line.indexOf(":");
      if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
    }
    const code = status ? Number(status[1]) : 0;
    if (code !== 101) {
      if (events.onUnexpectedResponse) {
        events.onUnexpectedResponse(code, headers);
        socket.destroy();
      } else fail(new Error(`unexpected server response: ${code}`));
      return;
    }
    if (headers.upgrade?.toLowerCase() !== "websocket" || !/\bupgrade\b/i.test(headers.connection ?? "")) {
      fail(new Error("the server did not upgrade to WebSocket"));
      return;
    }
    if (headers["sec-websocket-accept"] !== sha1Base64(Buffer.from(key + GUID, "latin1"))) {
      fail(new Error("invalid Sec-WebSocket-Accept header"));
      return;
    }
    if (headers["sec-websocket-extensions"]) {
      fail(new Error("the server chose an extension that was not offered"));
      return;
    }
    upgraded = true;
    state = 1;
    events.onOpen?.();
    if (rest.length > 0 && state === 1) onFrameData(rest);
  }

  function onFrameData(chunk: Buffer): void {
    buffered.push(chunk);
    bufferedBytes += chunk.length;
    while (!socket.destroyed && !closed && !failed) {
      if (bufferedBytes < 2) return;
      const data = buffered.length === 1 ? buffered[0]! : Buffer.concat(buffered, bufferedBytes);
      buffered = [data];
      const b0 = data[0]!;
      const b1 = data[1]!;
      const fin = (b0 & 0x80) !== 0;
      const opcode = b0 & 0x0f;
      let length = b1 & 0x7f;
      let at = 2;
      if ((b0 & 0x70) !== 0) {
        protocolError(1002, "reserved bits set without an extension");
        return;
      }
      if ((b1 & 0x80) !== 0) {
        protocolError(1002, "the server masked a frame");
        return;
      }
      const control = opcode >= 0x8;
      if (control && (!fin || length > 125)) {
        protocolError(1002, "invalid control frame");
        return;
      }
      if (![0x0, 0x1, 0x2, 0x8, 0x9, 0xa].includes(opcode)) {
        protocolError(1002, `reserved opcode ${opcode}`);
        return;
      }
      if (length === 126) {
        if (bufferedBytes < 4) return;
        length = data.readUInt16BE(2);
        at = 4;
      } else if (length === 127) {
        if (bufferedBytes < 10) return;
        const high = data.readUInt32BE(2);
        if (high > 0x1fffff) {
          protocolError(1009, "frame length out of range");
          return;
        }
        length = high * 2 ** 32 + data.readUInt32BE(6);
        at = 10;
      }
      if (!control && fragmentBytes + length > maxPayload) {
        protocolError(1009, `message over ${maxPayload} bytes`);
        return;
      }
      if (bufferedBytes < at + length) return;
      const payload = data.subarray(at, at + length);
      const rest = data.subarray(at + length);
      buffered = rest.length > 0 ? [rest] : [];
      bufferedBytes = rest.length;
      if (!onFrame(fin, opcode, payload)) return;
    }
  }

  /** Handles one frame; false when the connection is failing. */
  function onFrame(fin: boolean, opcode: number, payload: Buffer): boolean {
    switch (opcode) {
      case 0x8: {
        if (payload.length === 1) {
          protocolError(1002, "close frame with a one-byte payload");
          return false;
        }
        const code = payload.length >= 2 ? payload.readUInt16BE(0) : 1005;
        const reason = payload.subarray(2);
        if ((payload.length >= 2 && !validCloseCode(code)) || !isUtf8(reason)) {
          protocolError(1002, "invalid close frame");
          return false;
        }
        closeCode = code;
        closeReason = reason.toString("utf8");
        sendClose(code === 1005 ? 1000 : code, "");
        socket.end();
        armCloseTimer();
        return false;
      }
      case 0x9:
        if (state === 1) socket.write(encodeFrame(0xa, payload));
        return true;
      case 0xa:
        events.onPong?.(Buffer.from(payload));
        return true;
      case 0x0:
        if (fragmentOpcode === 0) {
          protocolError(1002, "continuation frame without a message");
          return false;
        }
        break;
      default:
        if (fragmentOpcode !== 0) {
          protocolError(1002, "new message before the last one ended");
          return false;
        }
        fragmentOpcode = opcode;
    }
    fragments.push(Buffer.from(payload));
    fragmentBytes += payload.length;
    if (!fin) return true;
    const message = fragments.length === 1 ? fragments[0]! : Buffer.concat(fragments, fragmentBytes);
    const binary = fragmentOpcode === 0x2;
    fragments = [];
    fragmentBytes = 0;
    fragmentOpcode = 0;
    if (!binary && !isUtf8(message)) {
      protocolError(1007, "text message is not UTF-8");
      return false;
    }
    if (state === 1) events.onMessage?.(message.toString("utf8"), binary);
    return true;
  }

  socket.once(secure ? "secureConnect" : "connect", () => {
    const path = `${url.pathname || "/"}${url.search}`;
    const lines = [
      `GET ${path} HTTP/1.1`,
      `Host: ${url.host}`,
      "Upgrade: websocket",
      "Connection: Upgrade",
      `Sec-WebSocket-Key: ${key}`,
      "Sec-WebSocket-Version: 13",
      ...Object.entries(options.headers ?? {}).map(([name, value]) => `${name}: ${value}`),
    ];
    socket.write(`${lines.join("\r\n")}\r\n\r\n`);
  });
  socket.on("data", (chunk: Buffer) => {
    if (upgraded) onFrameData(chunk);
    else onHandshakeData(chunk);
  });
  socket.on("error", (error) => {
    events.onError?.(error);
  });
  socket.on("close", () => {
    clearTimeout(handshakeTimer);
    if (closeTimer) clearTimeout(closeTimer);
    if (closed) return;
    closed = true;
    state = 3;
    events.onClose?.(closeCode, closeReason);
  });

  return {
    get readyState() {
      return state;
    },
    send(text) {
      if (state !== 1) return false;
      socket.write(encodeFrame(0x1, Buffer.from(text, "utf8")));
      return true;
    },
    ping(data = Buffer.alloc(0)) {
      if (state !== 1 || data.length > 125) return false;
      socket.write(encodeFrame(0x9, data));
      return true;
    },
    close(code = 1000, reason = "") {
      if (state === 3) return;
      if (state === 0) {
        socket.destroy();
        return;
      }
      sendClose(code, reason);
      armCloseTimer();
    },
    terminate() {
      socket.destroy();
    },
  };
}
