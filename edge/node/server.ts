/**
 * The Node host: the same Hono app on @hono/node-server, sidecar sockets on `ws`, state in
 * node:sqlite. It serves the Fly.io mirror and the local one-machine run.
 */
import type { IncomingMessage, Server } from "node:http";
import type { Duplex } from "node:stream";
import { serve } from "@hono/node-server";
import { type WebSocket, WebSocketServer } from "ws";
import { CONTROLLER_RESTART_CLOSE } from "../../protocol/controller-restart.ts";
import { MAX_FRAME_BYTES } from "../../protocol/frames.ts";
import { knownSettingNames } from "../../protocol/settings/known-settings.ts";
import { type NodeHostSettings, nodeHostSettings } from "../../protocol/settings/node-host-settings.ts";
import { type ParsedSettings, parseSettings } from "../../protocol/settings/parse-settings.ts";
import { type Clock, systemClock } from "../core/clock.ts";
import type { ControllerConfig } from "../core/config.ts";
import type { Controller, LogFn } from "../core/controller.ts";
import { bearer } from "../core/credentials.ts";
import { newId } from "../core/ids.ts";
import type { RuntimePlugin } from "../core/runtime-plugin.ts";
import { migrate } from "../core/store.ts";
import { mirrorPlugins } from "../plugins.ts";
import { createRuntime, type Runtime } from "../runtime.ts";
import { setBotCommands, startPolling } from "../telegram/index.ts";
import { parseTelegramConfig } from "../telegram/telegram-config.ts";
import { openSqliteStore } from "./sqlite-store.ts";

export interface NodeHostOptions {
  readonly config: ControllerConfig;
  readonly port: number;
  readonly hostname?: string;
  /** SQLite file for the controller's state; ":memory:" for a throwaway one. */
  readonly dbPath: string;
  readonly log?: LogFn;
  readonly clock?: Clock;
  /** The host's settings as its command parsed them once at start (Telegram, LLM, speech, …). */
  readonly settings?: ParsedSettings<NodeHostSettings>;
  /** Environment strings to parse instead, when the caller has not parsed them (tests). */
  readonly env?: Readonly<Record<string, unknown>>;
  readonly defaultTimeoutMs?: number;
  /** How long a command waits for an expected sidecar to connect (see ControllerOptions). */
  readonly connectWaitMs?: number;
  /** The features this host runs (edge/plugins.ts); the mirror's list when not given. */
  readonly plugins?: readonly RuntimePlugin[];
}

/** A running Node host. */
export interface NodeHost {
  readonly url: string;
  readonly port: number;
  readonly controller: Controller;
  readonly runtime: Runtime;
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
  const settings = options.settings ?? parseSettings(nodeHostSettings, options.env ?? {}, knownSettingNames);
  // Settings that can be checked without state are checked before anything is opened or written:
  // a Node host is started by hand, so a wrong bot setting stops it at once with the sentence.
  const telegramProblem = settings.problems.find((p) => p.features.includes("telegram"));
  if (telegramProblem) throw new Error(telegramProblem.sentence);
  parseTelegramConfig(settings.values);
  // Listen first: a second host on a busy port must fail before it touches the shared database
  // (marking every VM offline there would lie about the host that is running).
  let app: Runtime["app"] | undefined;
  const { server, port } = await new Promise<{ server: Server; port: number }>((resolve, reject) => {
    const s = serve(
      {
        fetch: (request, env) =>
          app ? app.fetch(request, env) : new Response("voxops is starting", { status: 503 }),
        port: options.port,
        hostname: options.hostname ?? "127.0.0.1",
      },
      (info) => resolve({ server: s as Server, port: info.port }),
    ) as Server;
    s.once("error", reject);
  });
  let store: ReturnType<typeof openSqliteStore> | undefined;
  let runtime: Runtime;
  try {
    store = openSqliteStore(options.dbPath);
    migrate(store);
    // No socket survives a restart of this process, whatever the table says.
    store.exec("UPDATE vms SET connected = 0");
    runtime = createRuntime({
      store,
      clock,
      log,
      settings,
      config,
      plugins: options.plugins ?? mirrorPlugins(),
      // No sidecar socket survives a process start: they are all dialling back now.
      controllerStartedAt: clock.now(),
      ...(options.defaultTimeoutMs ? { defaultTimeoutMs: options.defaultTimeoutMs } : {}),
      ...(options.connectWaitMs ? { connectWaitMs: options.connectWaitMs } : {}),
    });
  } catch (error) {
    store?.close();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    throw error;
  }
  const openStore = store;
  const { controller } = runtime;
  app = runtime.app;
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES });
  const sockets = new Set<WebSocket>();
  let closing = false;

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

  // Long polling when the bot is configured without a webhook (the local run); the mirror uses the webhook.
  const polling =
    runtime.bot && !runtime.telegram?.webhookSecret
      ? startPolling(runtime.bot, {
          onError: (error) => log("warn", "telegram polling error", { error: String(error).slice(0, 300) }),
        })
      : undefined;
  if (runtime.bot)
    void setBotCommands(runtime.bot.api, { voice: settings.values.TTS_PROVIDER !== "none" }).catch(
      (error: unknown) => log("warn", "setMyCommands failed", { error: String(error).slice(0, 200) }),
    );

  const ticker = setInterval(
    () =>
      void runtime
        .onWake()
        .catch((error: unknown) => log("error", "periodic work failed", { error: String(error) })),
    1000,
  );
  ticker.unref();
  log("info", "controller listening", { port });

  return {
    url: `http://${options.hostname ?? "127.0.0.1"}:${port}`,
    port,
    controller,
    runtime,
    async close() {
      closing = true;
      clearInterval(ticker);
      runtime.stop();
      await polling?.stop();
      // Each sidecar hears 1012 and redials at once; a socket whose closing handshake has not ended
      // within a second is dropped.
      for (const ws of sockets) ws.close(CONTROLLER_RESTART_CLOSE.code, CONTROLLER_RESTART_CLOSE.reason);
      await closeWithin(sockets, 1_000);
      for (const ws of sockets) ws.terminate();
      wss.close();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
      openStore.close();
    },
  };
}

/** Resolves when every socket has closed, or after `ms`, whichever comes first. */
async function closeWithin(sockets: ReadonlySet<WebSocket>, ms: number): Promise<void> {
  const closes = [...sockets].map((ws) =>
    ws.readyState === ws.CLOSED
      ? Promise.resolve()
      : new Promise<void>((resolve) => ws.once("close", () => resolve())),
  );
  let timer: ReturnType<typeof setTimeout> | undefined;
  await Promise.race([
    Promise.all(closes),
    new Promise<void>((resolve) => (timer = setTimeout(resolve, ms))),
  ]);
  clearTimeout(timer);
}
