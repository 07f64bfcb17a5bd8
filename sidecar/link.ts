/**
 * The sidecar's outbound WebSocket to one controller: it dials, re-dials with full-jitter backoff,
 * and resets the backoff only after a link has stayed up for `minUptimeMs`. A close that says the
 * controller is restarting (1012, 1001) is redialled at once instead: a few quick dials within
 * `RESTART_REDIAL_JITTER_MS` each, then the backoff from its first step, so a restarted controller
 * hears the VM again in about a second, not after the backoff the link had grown.
 */

import { type Backoff, createBackoff } from "../protocol/backoff.ts";
import {
  isControllerRestartClose,
  RESTART_REDIAL_ATTEMPTS,
  RESTART_REDIAL_JITTER_MS,
  SIDECAR_REDIAL_CAP_MS,
} from "../protocol/controller-restart.ts";
import { encodeFrame, type Frame, MAX_FRAME_BYTES, parseFrame } from "../protocol/frames.ts";
import type { WsClient } from "./websocket-port.ts";
// The WebSocket client behind the port: `ws`, since the hand-written `./ws-client.ts` missed its RSS
// budget (see there; `npm run bench:sidecar-rss`). Swapping back is this one line.
import { connectWebSocket } from "./ws-library-client.ts";

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
  /** The random source of the quick redials' jitter (tests). */
  readonly random?: () => number;
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
  const backoff = options.backoff ?? createBackoff({ capMs: SIDECAR_REDIAL_CAP_MS });
  const minUptimeMs = options.minUptimeMs ?? 10_000;
  const random = options.random ?? Math.random;
  // Quick redials left since the controller said it was restarting; 0 when it did not.
  let quickLeft = 0;
  const url = sidecarUrl(options.controller, options.vm);
  let ws: WsClient | null = null;
  let stopped = false;
  let retry: ReturnType<typeof setTimeout> | null = null;
  let settled: ReturnType<typeof setTimeout> | null = null;

  function scheduleRetry(why: string): void {
    if (stopped || retry) return;
    const quick = quickLeft > 0;
    if (quick) quickLeft -= 1;
    const wait = quick ? Math.floor(random() * RESTART_REDIAL_JITTER_MS) : backoff.next();
    log("warn", "controller link down; will redial", {
      controller: options.controller,
      why,
      waitMs: wait,
      ...(quick ? { quickRedialsLeft: quickLeft } : { attempt: backoff.attempts }),
    });
    retry = setTimeout(() => {
      retry = null;
      connect();
    }, wait);
  }

  function connect(): void {
    if (stopped) return;
    let socket: WsClient | null = null;
    const onClose = (code: number): void => {
      if (settled) clearTimeout(settled);
      settled = null;
      if (ws === socket) ws = null;
      if (isControllerRestartClose(code)) {
        // The controller went away on purpose and will be back: dial soon, and from the backoff's
        // first step once the quick dials are spent.
        quickLeft = RESTART_REDIAL_ATTEMPTS;
        backoff.reset();
      }
      scheduleRetry(`closed (${code})`);
    };
    try {
      socket = connectWebSocket(
        url,
        {
          headers: { Authorization: `Bearer ${options.key}` },
          maxPayload: MAX_FRAME_BYTES,
          handshakeTimeoutMs: 10_000,
        },
        {
          onOpen() {
            log("info", "connected to controller", { controller: options.controller });
            quickLeft = 0;
            settled = setTimeout(() => backoff.reset(), minUptimeMs);
            options.onOpen();
          },
          onMessage(text) {
            const parsed = parseFrame(text);
            if (!parsed.ok) {
              log("warn", "invalid frame from controller", {
                code: parsed.error.code,
                message: parsed.error.message,
              });
              socket?.send(encodeFrame(parsed.error));
              return;
            }
            try {
              options.onFrame(parsed.frame);
            } catch (error) {
              log("error", "handling a controller frame failed", {
                type: parsed.frame.type,
                error: String(error),
              });
            }
          },
          onUnexpectedResponse(status) {
            log("error", "controller refused the sidecar", {
              status,
              hint:
                status === 401 || status === 403
                  ? "check VOXOPS_SIDECAR_KEY and --vm against the controller's VOXOPS_SIDECAR_KEYS"
                  : undefined,
            });
          },
          onError: (error) => log("warn", "controller socket error", { error: error.message }),
          onClose,
        },
      );
    } catch (error) {
      log("error", "cannot dial the controller", { error: String(error) });
      scheduleRetry("dial failed");
      return;
    }
    ws = socket;
  }

  connect();
  return {
    controller: options.controller,
    send(frame) {
      return ws?.readyState === 1 && ws.send(encodeFrame(frame));
    },
    isOpen: () => ws?.readyState === 1,
    stop() {
      stopped = true;
      if (retry) clearTimeout(retry);
      if (settled) clearTimeout(settled);
      ws?.close(1000, "sidecar stopping");
      ws = null;
    },
  };
}
