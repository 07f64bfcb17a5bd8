/**
 * The WebSocket port (`websocket-port.ts`) over the `ws` library, the drop-in alternative to the
 * hand-written `ws-client.ts`: the same events, the same close codes, the same refusals.
 */
import WebSocket from "ws";
import type { ConnectWebSocket, WsClient, WsReadyState } from "./websocket-port.ts";

/** The close code `ws` sends when it fails a connection with this error code (see ws's doc/ws.md). */
function closeCodeOf(code: string | undefined): number | undefined {
  if (code === "WS_ERR_INVALID_UTF8") return 1007;
  if (code === "WS_ERR_UNSUPPORTED_MESSAGE_LENGTH" || code === "WS_ERR_UNSUPPORTED_DATA_PAYLOAD_LENGTH")
    return 1009;
  return code?.startsWith("WS_ERR_") ? 1002 : undefined;
}

/** Opens a WebSocket to a ws:// or wss:// URL with `ws`. */
export const connectWebSocket: ConnectWebSocket = (address, options = {}, events = {}): WsClient => {
  const url = new URL(address);
  if (url.protocol !== "ws:" && url.protocol !== "wss:") throw new Error(`not a WebSocket URL: ${address}`);
  const socket = new WebSocket(address, {
    headers: { ...options.headers },
    maxPayload: options.maxPayload ?? 1024 * 1024,
    handshakeTimeout: options.handshakeTimeoutMs ?? 10_000,
    perMessageDeflate: false,
    ...(options.ca === undefined ? {} : { ca: options.ca }),
  });
  // After an answer other than 101 the caller has heard it; the abort that follows is not a second error.
  let refused = false;
  socket.on("open", () => events.onOpen?.());
  socket.on("message", (data, binary) => {
    const bytes = Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as Buffer);
    events.onMessage?.(bytes.toString("utf8"), binary);
  });
  socket.on("pong", (data) => events.onPong?.(Buffer.from(data)));
  if (events.onUnexpectedResponse) {
    const onUnexpectedResponse = events.onUnexpectedResponse;
    socket.on("unexpected-response", (request, response) => {
      refused = true;
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(response.headers))
        if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(", ") : value;
      onUnexpectedResponse(response.statusCode ?? 0, headers);
      request.destroy();
      // Aborts the handshake: `ws` then reports the close (1006) as for any failed upgrade.
      socket.terminate();
    });
  }
  // `ws` stops reading after failing a connection, so its close event says 1006; the port reports
  // the code this side failed it with, read from the error's documented code.
  let failedWith: number | undefined;
  socket.on("error", (error: Error & { code?: string }) => {
    failedWith ??= closeCodeOf(error.code);
    if (!refused) events.onError?.(error);
  });
  socket.on("close", (code, reason) =>
    events.onClose?.(code === 1006 ? (failedWith ?? code) : code, reason.toString("utf8")),
  );

  return {
    get readyState() {
      return socket.readyState as WsReadyState;
    },
    send(text) {
      if (socket.readyState !== WebSocket.OPEN) return false;
      socket.send(text);
      return true;
    },
    ping(data = Buffer.alloc(0)) {
      if (socket.readyState !== WebSocket.OPEN || data.length > 125) return false;
      socket.ping(data);
      return true;
    },
    close(code = 1000, reason = "") {
      if (socket.readyState === WebSocket.CLOSED) return;
      if (socket.readyState === WebSocket.CONNECTING) socket.terminate();
      else socket.close(code, reason);
    },
    terminate() {
      socket.terminate();
    },
  };
};
