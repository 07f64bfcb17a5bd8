/**
 * The HTTPS app that both hosts serve: the `/agent/*` API for automation and the CLI. It speaks
 * only Request/Response; sockets and storage come from the host through the controller.
 */
import { Hono } from "hono";
import { type Actor, type Role, roleAtLeast } from "./core/actors.ts";
import type { CommandOutcome, Controller } from "./core/controller.ts";
import { bearer, roleOfToken } from "./core/credentials.ts";
import { actionSpecs, isActionName } from "./protocol/actions.ts";

/** Version reported by the API and sent in hello frames. */
export const VOXOPS_VERSION = "0.1.0";

export interface AppOptions {
  readonly controller: Controller;
  readonly apiTokens: ReadonlyMap<string, Role>;
  /** Extra routes a host or a later part mounts (e.g. the Telegram webhook). */
  readonly extend?: (app: Hono<AppEnv>) => void;
}

/** Variables the auth middleware puts on the context. */
export type AppEnv = { Variables: { actor: Actor } };

const neededRole = { read: "viewer", change: "operator", destructive: "admin" } as const;

/** Shapes a command outcome for the API: HTTP status and JSON body. */
export function outcomeResponse(outcome: CommandOutcome): {
  status: 200 | 404 | 422 | 502 | 503 | 504;
  body: unknown;
} {
  if (outcome.ok) return { status: 200, body: outcome };
  const code = outcome.error?.code;
  const status =
    code === "unknown-action" || code === "invalid-args" || code === "unknown-vm"
      ? 422
      : code === "not-connected"
        ? 503
        : code === "timeout"
          ? 504
          : code === "not-found"
            ? 404
            : 502;
  return { status, body: outcome };
}

/** Builds the Hono app over a controller. */
export function createApp(options: AppOptions): Hono<AppEnv> {
  const { controller, apiTokens } = options;
  const app = new Hono<AppEnv>();

  app.onError((error, c) =>
    c.json(
      {
        error: "internal",
        message: "the controller failed to answer; see its log",
        detail: String(error).slice(0, 200),
      },
      500,
    ),
  );
  app.notFound((c) =>
    c.json({ error: "not-found", message: `no route ${c.req.method} ${new URL(c.req.url).pathname}` }, 404),
  );

  app.use("/agent/*", async (c, next) => {
    const token = bearer(c.req.header("authorization"));
    const role = token === undefined ? undefined : await roleOfToken(apiTokens, token);
    if (token === undefined || role === undefined) {
      return c.json(
        {
          error: "unauthorized",
          message:
            token === undefined
              ? "send an API token as 'Authorization: Bearer <token>' (npm start prints where the local one is kept)"
              : "this API token is not valid",
        },
        401,
      );
    }
    c.set("actor", { kind: "api", id: `token:${token.slice(0, 4)}…`, role });
    await next();
  });

  app.get("/agent/health", (c) => {
    const fleet = controller.fleet();
    return c.json({
      ok: true,
      version: VOXOPS_VERSION,
      sidecars: fleet
        .filter((v) => v.connected)
        .map((v) => ({ vm: v.vm, lastSeenAgoS: v.lastSeenAgoS, version: v.sidecarVersion })),
      vms: fleet.map((v) => ({ vm: v.vm, connected: v.connected, lastSeenAgoS: v.lastSeenAgoS })),
    });
  });

  app.get("/agent/vm/status", (c) => {
    const vm = c.req.query("vm");
    const fleet = controller.fleet().filter((v) => vm === undefined || vm === "all" || v.vm === vm);
    if (vm !== undefined && vm !== "all" && fleet.length === 0)
      return c.json({ error: "unknown-vm", message: `there is no VM called "${vm.slice(0, 40)}"` }, 404);
    return c.json({ vms: fleet });
  });

  app.post("/agent/commands", async (c) => {
    const body = (await c.req.json().catch(() => null)) as {
      vm?: unknown;
      action?: unknown;
      args?: unknown;
      timeoutMs?: unknown;
    } | null;
    if (body === null || typeof body.vm !== "string" || typeof body.action !== "string") {
      return c.json(
        { error: "bad-request", message: 'send JSON {"vm": "vm1", "action": "status", "args": {}}' },
        400,
      );
    }
    const actor = c.get("actor");
    if (isActionName(body.action)) {
      const needed = neededRole[actionSpecs[body.action].risk];
      if (!roleAtLeast(actor.role, needed)) {
        controller.audit.append({
          actor,
          action: body.action,
          target: body.vm,
          outcome: "forbidden",
          detail: `needs ${needed}`,
        });
        return c.json(
          {
            error: "forbidden",
            message: `${body.action} needs the ${needed} role; this token is ${actor.role}`,
          },
          403,
        );
      }
    }
    const args =
      typeof body.args === "object" && body.args !== null ? (body.args as Record<string, unknown>) : {};
    const timeoutMs =
      typeof body.timeoutMs === "number" ? Math.min(Math.max(body.timeoutMs, 100), 600_000) : undefined;
    const outcome = await controller.dispatch({
      vm: body.vm,
      action: body.action,
      args,
      actor,
      ...(timeoutMs ? { timeoutMs } : {}),
    });
    const { status, body: json } = outcomeResponse(outcome);
    return c.json(json, status);
  });

  app.get("/agent/commands/:id", (c) => {
    const command = controller.command(c.req.param("id"));
    if (!command) return c.json({ error: "not-found", message: "no command with this id" }, 404);
    return c.json(command);
  });

  app.get("/agent/audit", (c) => {
    const actor = c.get("actor");
    if (!roleAtLeast(actor.role, "admin"))
      return c.json({ error: "forbidden", message: "the audit log needs the admin role" }, 403);
    const limit = Number(c.req.query("limit") ?? 50);
    return c.json({ records: controller.audit.recent(Number.isFinite(limit) ? limit : 50) });
  });

  options.extend?.(app);
  return app;
}
