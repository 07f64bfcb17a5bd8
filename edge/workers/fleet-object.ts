/**
 * The Durable Object that holds the fleet: sidecar sockets (hibernation API), the controller's
 * state in SQLite, the Telegram webhook and the alarm that drives periodic work.
 */
import { DurableObject } from "cloudflare:workers";
import { createJsonLog } from "../../protocol/json-log.ts";
import { edgeSettings } from "../../protocol/settings/edge-settings.ts";
import { knownSettingNames } from "../../protocol/settings/known-settings.ts";
import { parseSettings } from "../../protocol/settings/parse-settings.ts";
import { type ConfigFailure, configFailureAnswer, configFailureOf } from "../alerts/config-failure.ts";
import { acceptLanguage } from "../core/api-language.ts";
import { systemClock } from "../core/clock.ts";
import type { SidecarLink } from "../core/controller.ts";
import { bearer } from "../core/credentials.ts";
import { newId } from "../core/ids.ts";
import type { SqlStore, SqlValue } from "../core/store.ts";
import type { WorkersAiBinding } from "../llm/workers-ai.ts";
import { edgePlugins } from "../plugins.ts";
import { createRuntime, type Runtime } from "../runtime.ts";
import type { Env } from "./env.ts";

type Attachment = { vm: string; connId: string };

/** The fleet's Durable Object: one instance ("fleet") per deployment. */
export class Fleet extends DurableObject<Env> {
  private readonly runtime: Runtime | undefined;
  /** Why the runtime could not be built (a core setting is wrong); every request is told so. */
  private readonly failure: ConfigFailure | undefined;
  private readonly links = new WeakMap<WebSocket, SidecarLink>();

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    const sql = ctx.storage.sql;
    const store: SqlStore = {
      exec: <Row extends Record<string, SqlValue>>(query: string, ...params: SqlValue[]) =>
        sql.exec(query, ...params).toArray() as unknown as Row[],
    };
    // One JSON line a call: Workers Logs and `wrangler tail` index its fields.
    const log = createJsonLog({
      from: "edge",
      secrets: () => this.runtime?.config.secrets ?? [],
      write: (level, line) => console[level === "info" ? "log" : level](line),
    });
    let runtime: Runtime | undefined;
    try {
      const startedAt = lostSockets(store, ctx) ? systemClock.now() : undefined;
      runtime = createRuntime({
        store,
        clock: systemClock,
        // A wake from hibernation keeps its sockets; a deploy or an eviction lost them, and the
        // sidecars are dialling back now: the watchdog does not count that silence as theirs.
        ...(startedAt === undefined ? {} : { controllerStartedAt: startedAt }),
        // The one parse of the Worker's secrets and vars; features read the typed object it gives.
        settings: parseSettings(edgeSettings, env as unknown as Record<string, unknown>, knownSettingNames),
        ...(env.AI ? { ai: env.AI as unknown as WorkersAiBinding } : {}),
        log,
        plugins: edgePlugins(),
      });
    } catch (error) {
      // A core setting (tokens, keys, inventory) is wrong: the object still constructs and says why.
      this.failure = configFailureOf(error);
      log("error", "configuration problem", { problem: this.failure.en });
    }
    this.runtime = runtime;
    if (!runtime) return;
    const live: string[] = [];
    for (const ws of ctx.getWebSockets()) {
      const att = ws.deserializeAttachment() as Attachment | null;
      if (!att) continue;
      runtime.controller.onConnect(att.vm, this.linkFor(ws, att), { restored: true });
      live.push(att.connId);
    }
    // Sockets that did not survive an eviction or a deploy never send a close: mark their VMs offline.
    store.exec(
      `UPDATE vms SET connected = 0 WHERE connected = 1 AND (conn_id IS NULL OR conn_id NOT IN (${live.map(() => "?").join(", ") || "''"}))`,
      ...live,
    );
  }

  private linkFor(ws: WebSocket, att?: Attachment): SidecarLink {
    const known = this.links.get(ws);
    if (known) return known;
    const attachment = att ?? (ws.deserializeAttachment() as Attachment);
    const link: SidecarLink = {
      connId: attachment.connId,
      send: (text) => ws.send(text),
      close: (code, reason) => ws.close(code, reason),
    };
    this.links.set(ws, link);
    return link;
  }

  private async scheduleWake(): Promise<void> {
    if (!this.runtime) return;
    const next = await this.runtime.nextWakeAt();
    const current = await this.ctx.storage.getAlarm();
    if (current === null || next < current) await this.ctx.storage.setAlarm(next);
  }

  override async fetch(request: Request): Promise<Response> {
    if (!this.runtime)
      return Response.json(configFailureAnswer(this.failure, requestLang(request)), { status: 503 });
    const url = new URL(request.url);
    if (url.pathname !== "/sidecar") {
      const response = await this.runtime.app.fetch(request);
      await this.scheduleWake();
      return response;
    }
    if (request.headers.get("upgrade")?.toLowerCase() !== "websocket") {
      return Response.json(
        { error: "upgrade-required", message: "/sidecar takes WebSocket upgrades only" },
        { status: 426 },
      );
    }
    const vm = url.searchParams.get("vm");
    const controller = this.runtime.controller;
    const admission = await controller.authenticateSidecar(
      vm,
      bearer(request.headers.get("authorization")),
      request.headers.get("cf-connecting-ip") ?? "",
    );
    if (!admission.ok || vm === null) {
      return Response.json(
        { error: "refused", message: admission.ok ? "no vm" : admission.message },
        { status: admission.ok ? 400 : admission.status },
      );
    }
    const pair = new WebSocketPair();
    const [client, server] = [pair[0], pair[1]];
    const att: Attachment = { vm, connId: newId() };
    this.ctx.acceptWebSocket(server, [vm]);
    server.serializeAttachment(att);
    controller.onConnect(vm, this.linkFor(server, att));
    await this.scheduleWake();
    return new Response(null, { status: 101, webSocket: client });
  }

  override async webSocketMessage(ws: WebSocket, message: string | ArrayBuffer): Promise<void> {
    this.runtime?.controller.onMessage(this.linkFor(ws), message);
  }

  override async webSocketClose(ws: WebSocket, code: number, reason: string): Promise<void> {
    this.runtime?.controller.onClose(this.linkFor(ws), code, reason);
  }

  override async webSocketError(ws: WebSocket): Promise<void> {
    this.runtime?.controller.onClose(this.linkFor(ws), 1011, "socket error");
  }

  override async alarm(): Promise<void> {
    if (!this.runtime) return;
    await this.runtime.onWake();
    if (this.ctx.getWebSockets().length > 0 || (await this.runtime.nextWakeAt()) < Date.now() + 60_000) {
      await this.ctx.storage.setAlarm(await this.runtime.nextWakeAt());
    }
  }
}

/** True when a VM the store holds as connected has no socket in this object: it restarted (a deploy, an eviction) rather than woke. */
function lostSockets(store: SqlStore, ctx: DurableObjectState): boolean {
  const live = new Set(
    ctx.getWebSockets().map((ws) => (ws.deserializeAttachment() as Attachment | null)?.connId),
  );
  try {
    const connected = store.exec<{ conn_id: string | null }>("SELECT conn_id FROM vms WHERE connected = 1");
    return connected.some((row) => row.conn_id === null || !live.has(row.conn_id));
  } catch {
    // No table yet: the object's first start.
    return true;
  }
}

/** The caller's language for an answer given without the app: ?lang=, else Accept-Language. */
function requestLang(request: Request): "ru" | "en" {
  const query = new URL(request.url).searchParams.get("lang");
  return query === "ru" || query === "en"
    ? query
    : acceptLanguage(request.headers.get("accept-language") ?? undefined);
}
