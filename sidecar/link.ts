/**
 * The sidecar's outbound WebSocket to one controller: it dials, re-dials with full-jitter backoff,
 * and resets the backoff only after a link has stayed up for `minUptimeMs`.
 */
import WebSocket from "ws";
import { encodeFrame, type Frame, MAX_FRAME_BYTES, parseFrame } from "../edge/protocol/frames.ts";
import { type Backoff, createBackoff } from "./backoff.ts";

export type SidecarLog = (
  level: "info" | "warn" | "error",
  message: string,
  fields?: Record<string, unknown>,
) => void;

export interface LinkOptions {
  /** The controller's base URL: http(s):// or ws(s)://. */
  readonly controller: string;
  readonly vm: string;
  readonly key: string;
  readonly onOpen: () => void;
  readonly onFrame: (frame: Frame) => void;
  readonly log?: SidecarLog;
  readonly backoff?: Backoff;
  readonly minUptimeMs?: number;
}

/** One controller link. */
export interface Link {
  readonly controller: string;
  /** Sends a frame now; false when the link is down (the caller keeps it for later). */
  send(frame: Frame): boolean;
  isOpen(): boolean;
  stop(): void;
}

/** Turns a controller base URL into the sidecar socket URL for a VM. */
export function sidecarUrl(controller: string, vm: string): string {
  const url = new URL(controller);
  url.protocol = url.protocol === "https:" || url.protocol === "wss:" ? "wss:" : "ws:";
  url.pathname = `${url.pathname.replace(/\/$/, "")}/sidecar`;
  url.search = `?vm=${encodeURIComponent(vm)}`;
  return url.toString();
}

/** Starts dialling the controller and keeps the link up until `stop()`. */
export function startLink(options: LinkOptions): Link {
  const log: SidecarLog = options.log ?? (() => {});
  const backoff = options.backoff ?? createBackoff();
  const minUptimeMs = options.minUptimeMs ?? 10_000;
  const url = sidecarUrl(options.controller, options.vm);
  let ws: WebSocket | null = null;
  let stopped = false;
  let retry: ReturnType<typeof setTimeout> | null = null;
  let settled: ReturnType<typeof setTimeout> | null = null;

  function scheduleRetry(why: string): void {
    if (stopped || retry) return;
    const wait = backoff.next();
    log("warn", "controller link down; will redial", {
      controller: options.controller,
      why,
      waitMs: wait,
      attempt: backoff.attempts,
    });
    retry = setTimeout(() => {
      retry = null;
      connect();
    }, wait);
  }

  function connect(): void {
    if (stopped) return;
    const socket = new WebSocket(url, {
      headers: { authorization: `Bearer ${options.key}` },
      maxPayload: MAX_FRAME_BYTES,
      handshakeTimeout: 10_000,
    });
    ws = socket;
    socket.on("open", () => {
      log("info", "connected to controller", { controller: options.controller });
      settled = setTimeout(() => backoff.reset(), minUptimeMs);
      options.onOpen();
    });
    socket.on("message", (data) => {
      const parsed = parseFrame(data.toString());
      if (!parsed.ok) {
        log("warn", "invalid frame from controller", {
          code: parsed.error.code,
          message: parsed.error.message,
        });
        socket.send(encodeFrame(parsed.error));
        return;
      }
      try {
        options.onFrame(parsed.frame);
      } catch (error) {
        log("error", "handling a controller frame failed", { type: parsed.frame.type, error: String(error) });
      }
    });
    socket.on("unexpected-response", (_req, res) => {
      log("error", "controller refused the sidecar", {
        status: res.statusCode,
        hint:
          res.statusCode === 401 || res.statusCode === 403
            ? "check VOXOPS_SIDECAR_KEY and --vm against the controller's VOXOPS_SIDECAR_KEYS"
            : undefined,
      });
      socket.terminate();
    });
    socket.on("error", (error) => log("warn", "controller socket error", { error: error.message }));
    socket.on("close", (code) => {
      if (settled) clearTimeout(settled);
      settled = null;
      if (ws === socket) ws = null;
      scheduleRetry(`closed (${code})`);
    });
  }

  connect();
  return {
    controller: options.controller,
    send(frame) {
      if (ws?.readyState !== WebSocket.OPEN) return false;
      ws.send(encodeFrame(frame));
      return true;
    },
    isOpen: () => ws?.readyState === WebSocket.OPEN,
    stop() {
      stopped = true;
      if (retry) clearTimeout(retry);
      if (settled) clearTimeout(settled);
      ws?.close(1000, "sidecar stopping");
      ws = null;
    },
  };
}
