/**
 * A small RFC 6455 WebSocket client over node:net / node:tls, so the sidecar does not load `ws`
 * (and with it node:http, https and zlib). Client frames are masked; server frames are checked
 * (no mask, no reserved bits, control frames short and unfragmented, UTF-8 text, size limit);
 * pings are answered, fragmented messages are joined, and close is a two-way handshake. It sits
 * behind the WebSocket port (`websocket-port.ts`); `ws-library-client.ts` is the same port over `ws`,
 * and `websocket-conformance.test.ts` runs the same scenarios against both.
 *
 * RSS budget: this client is used only while the bundled sidecar with it uses at least 3 MB less idle
 * RSS than with `ws`; below that, the sidecar uses `ws` (one import line in link.ts).
 * `npm run bench:sidecar-rss` measures both and prints the verdict. Measured 2026-11-30 (median of 3,
 * 30 s idle, loopback controller): Node 24 saves 1.5 MB (ws://) and 1.3 MB (wss://); Node 20 saves
 * -2.7 and -1.3 MB. Under budget: link.ts uses `ws`, and this file stays only as the measured
 * alternative until the budget is met or the file is removed.
 */
import { isUtf8 } from "node:buffer";
import { createHash, randomBytes } from "node:crypto";
import type { Socket } from "node:net";
import type { ConnectWebSocket, WsClient, WsReadyState } from "./websocket-port.ts";

const GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
const MAX_HEADER_BYTES = 16 * 1024;
const CLOSE_WAIT_MS = 3_000;

/** The Sec-WebSocket-Accept a server must answer for a Sec-WebSocket-Key (RFC 6455 section 4.2.2). */
function acceptFor(key: string): string {
  return createHash("sha1")
    .update(key + GUID)
    .digest("base64");
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
export const connectWebSocket: ConnectWebSocket = (address, options = {}, events = {}): WsClient => {
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
    if (headers["sec-websocket-accept"] !== acceptFor(key)) {
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
};
