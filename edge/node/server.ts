/**
 * The Node host: the same Hono app on @hono/node-server, sidecar sockets on `ws`, state in
 * node:sqlite. It serves the Fly.io mirror and the local one-machine run.
 */
import type { IncomingMessage, Server } from "node:http";
import type { Duplex } from "node:stream";
import { serve } from "@hono/node-server";
import { type WebSocket, WebSocketServer } from "ws";
import { createApp } from "../app.ts";
import { createAudit } from "../core/audit.ts";
import { type Clock, systemClock } from "../core/clock.ts";
import type { ControllerConfig } from "../core/config.ts";
import { type Controller, type ControllerHooks, createController, type LogFn } from "../core/controller.ts";
import { bearer } from "../core/credentials.ts";
import { newId } from "../core/ids.ts";
import { migrate } from "../core/store.ts";
import { MAX_FRAME_BYTES } from "../protocol/frames.ts";
import { openSqliteStore } from "./sqlite-store.ts";

export interface NodeHostOptions {
  readonly config: ControllerConfig;
  readonly port: number;
  readonly hostname?: string;
  /** SQLite file for the controller's state; ":memory:" for a throwaway one. */
  readonly dbPath: string;
  readonly log?: LogFn;
  readonly clock?: Clock;
  readonly hooks?: ControllerHooks;
  readonly defaultTimeoutMs?: number;
}

/** A running Node host. */
export interface NodeHost {
  readonly url: string;
  readonly port: number;
  readonly controller: Controller;
  close(): Promise<void>;
}

function refuse(socket: Duplex, status: number, message: string): void {
  const body = JSON.stringify({ error: status === 401 ? "unauthorized" : "forbidden", message });
  socket.end(
    `HTTP/1.1 ${status} ${status === 401 ? "Unauthorized" : status === 403 ? "Forbidden" : "Bad Request"}\r\n` +
      `Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}

/** Starts the controller on Node and resolves once it listens. */
export async function startNodeHost(options: NodeHostOptions): Promise<NodeHost> {
  const { config } = options;
  const clock = options.clock ?? systemClock;
  const log: LogFn = options.log ?? (() => {});
  const store = openSqliteStore(options.dbPath);
  migrate(store);
  // No socket survives a restart of this process, whatever the table says.
  store.exec("UPDATE vms SET connected = 0");
  const audit = createAudit({ store, now: () => clock.now(), secrets: () => config.secrets });
  const controller = createController({
    store,
    clock,
    audit,
    sidecarKeys: config.sidecarKeys,
    log,
    ...(config.inventory ? { inventory: config.inventory } : {}),
    ...(options.hooks ? { hooks: options.hooks } : {}),
    ...(options.defaultTimeoutMs ? { defaultTimeoutMs: options.defaultTimeoutMs } : {}),
  });
  const app = createApp({ controller, apiTokens: config.apiTokens });
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES });
  const sockets = new Set<WebSocket>();
  let closing = false;

  const { server, port } = await new Promise<{ server: Server; port: number }>((resolve, reject) => {
    const s = serve(
      { fetch: app.fetch, port: options.port, hostname: options.hostname ?? "127.0.0.1" },
      (info) => resolve({ server: s as Server, port: info.port }),
    ) as Server;
    s.once("error", reject);
  });

  server.on("upgrade", (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = new URL(req.url ?? "/", "http://localhost");
    if (url.pathname !== "/sidecar")
      return refuse(socket, 400, "WebSocket upgrades are served on /sidecar only");
    const vm = url.searchParams.get("vm");
    void controller
      .authenticateSidecar(vm, bearer(req.headers.authorization), req.socket.remoteAddress ?? "")
      .then((admission) => {
        if (!admission.ok || vm === null)
          return refuse(
            socket,
            admission.ok ? 400 : admission.status,
            admission.ok ? "no vm" : admission.message,
          );
        wss.handleUpgrade(req, socket, head, (ws) => {
          sockets.add(ws);
          const link = {
            connId: newId(),
            send: (text: string) => ws.send(text),
            close: (code: number, reason: string) => ws.close(code, reason),
          };
          let alive = true;
          ws.on("pong", () => {
            alive = true;
          });
          const ping = setInterval(() => {
            if (!alive) return ws.terminate();
            alive = false;
            ws.ping();
          }, 30_000);
          ws.on("message", (data) => controller.onMessage(link, data.toString()));
          ws.on("close", (code, reason) => {
            clearInterval(ping);
            sockets.delete(ws);
            if (!closing) controller.onClose(link, code, reason.toString());
          });
          ws.on("error", (error) => log("warn", "sidecar socket error", { vm, error: String(error) }));
          controller.onConnect(vm, link);
        });
      });
  });

  const ticker = setInterval(() => controller.tick(), 1000);
  ticker.unref();
  log("info", "controller listening", { port });

  return {
    url: `http://${options.hostname ?? "127.0.0.1"}:${port}`,
    port,
    controller,
    async close() {
      closing = true;
      clearInterval(ticker);
      controller.stop();
      for (const ws of sockets) ws.terminate();
      wss.close();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
      store.close();
    },
  };
}
