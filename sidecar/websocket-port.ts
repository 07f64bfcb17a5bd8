/**
 * The sidecar's port to a WebSocket client library: one function that dials and a small socket
 * object. `link.ts` imports one implementation; swapping the hand-written client (`ws-client.ts`) for
 * `ws` (`ws-library-client.ts`) is that one import line.
 */

/** The socket's state, numbered as the WHATWG WebSocket's readyState. */
export type WsReadyState = 0 | 1 | 2 | 3;

/** What a caller hears from a client socket; every callback is optional. */
export interface WsClientEvents {
  /** The handshake succeeded. */
  readonly onOpen?: () => void;
  /** A whole message arrived (fragments joined); binary messages are decoded as UTF-8 too. */
  readonly onMessage?: (text: string, binary: boolean) => void;
  /** The server answered a ping. */
  readonly onPong?: (data: Buffer) => void;
  /** The server answered the upgrade with something other than 101 (no onError follows). */
  readonly onUnexpectedResponse?: (status: number, headers: Readonly<Record<string, string>>) => void;
  /** The connection failed (protocol error, bad handshake, network error). */
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
  /** Sends a ping (at most 125 bytes); false when the socket is not open. */
  ping(data?: Buffer): boolean;
  /** Starts the closing handshake (an opening socket is dropped). */
  close(code?: number, reason?: string): void;
  /** Drops the connection at once. */
  terminate(): void;
}

/** Opens a WebSocket to a ws:// or wss:// URL; throws only for a URL that is not one. */
export type ConnectWebSocket = (
  address: string,
  options?: WsClientOptions,
  events?: WsClientEvents,
) => WsClient;
