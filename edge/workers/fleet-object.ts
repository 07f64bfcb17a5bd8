/**
 * The Durable Object that holds the fleet: sidecar sockets (hibernation API), the controller's
 * state in SQLite, and the alarm that expires commands (and, later, drives the watchdog).
 */
import { DurableObject } from "cloudflare:workers";
import { createApp } from "../app.ts";
import { createAudit } from "../core/audit.ts";
import { systemClock } from "../core/clock.ts";
import { readConfig } from "../core/config.ts";
import { type Controller, createController, type SidecarLink } from "../core/controller.ts";
import { bearer } from "../core/credentials.ts";
import { newId } from "../core/ids.ts";
import { migrate, type SqlStore, type SqlValue } from "../core/store.ts";
import type { Env } from "./env.ts";

type Attachment = { vm: string; connId: string };

/** How often the alarm runs while sidecars are connected or commands are pending. */
const ALARM_EVERY_MS = 5_000;

/** The fleet's Durable Object: one instance ("fleet") per deployment. */
export class Fleet extends DurableObject<Env> {
  private readonly controller: Controller;
  private readonly app: ReturnType<typeof createApp>;
  private readonly links = new WeakMap<WebSocket, SidecarLink>();

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    const sql = ctx.storage.sql;
    const store: SqlStore = {
      exec: <Row extends Record<string, SqlValue>>(query: string, ...params: SqlValue[]) =>
        sql.exec(query, ...params).toArray() as unknown as Row[],
    };
    migrate(store);
    const config = readConfig(env as unknown as Record<string, unknown>);
    const audit = createAudit({ store, now: () => systemClock.now(), secrets: () => config.secrets });
    this.controller = createController({
      store,
      clock: systemClock,
      audit,
      sidecarKeys: config.sidecarKeys,
      ...(config.inventory ? { inventory: config.inventory } : {}),
      log: (level, message, fields) =>
        console[level === "info" ? "log" : level](JSON.stringify({ level, msg: message, ...fields })),
    });
    this.app = createApp({ controller: this.controller, apiTokens: config.apiTokens });
    for (const ws of ctx.getWebSockets()) {
      const att = ws.deserializeAttachment() as Attachment | null;
      if (att) this.controller.onConnect(att.vm, this.linkFor(ws, att), { restored: true });
    }
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

  private async ensureAlarm(): Promise<void> {
    if ((await this.ctx.storage.getAlarm()) === null)
      await this.ctx.storage.setAlarm(Date.now() + ALARM_EVERY_MS);
  }

  override async fetch(request: Request): Promise<Response> {
    const url = new URL(request.url);
    if (url.pathname !== "/sidecar") {
      const response = await this.app.fetch(request);
      if (url.pathname === "/agent/commands") await this.ensureAlarm();
      return response;
    }
    if (request.headers.get("upgrade")?.toLowerCase() !== "websocket") {
      return Response.json(
        { error: "upgrade-required", message: "/sidecar takes WebSocket upgrades only" },
        { status: 426 },
      );
    }
    const vm = url.searchParams.get("vm");
    const admission = await this.controller.authenticateSidecar(
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
    this.controller.onConnect(vm, this.linkFor(server, att));
    await this.ensureAlarm();
    return new Response(null, { status: 101, webSocket: client });
  }

  override async webSocketMessage(ws: WebSocket, message: string | ArrayBuffer): Promise<void> {
    this.controller.onMessage(this.linkFor(ws), message);
  }

  override async webSocketClose(ws: WebSocket, code: number, reason: string): Promise<void> {
    this.controller.onClose(this.linkFor(ws), code, reason);
  }

  override async webSocketError(ws: WebSocket): Promise<void> {
    this.controller.onClose(this.linkFor(ws), 1011, "socket error");
  }

  override async alarm(): Promise<void> {
    const next = this.controller.tick();
    if (next !== null || this.ctx.getWebSockets().length > 0) {
      await this.ctx.storage.setAlarm(
        Math.min(next ?? Number.POSITIVE_INFINITY, Date.now() + ALARM_EVERY_MS),
      );
    }
  }
}
