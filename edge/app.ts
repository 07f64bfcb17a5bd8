/**
 * The HTTPS app that both hosts serve: the `/agent/*` API for automation and the CLI. It speaks
 * only Request/Response; sockets and storage come from the host through the controller.
 */
import { Hono } from "hono";
import { contextStorage, tryGetContext } from "hono/context-storage";
import { requestId } from "hono/request-id";
import { apiRoutes } from "./api-spec.ts";
import { clientAddress } from "./client-address.ts";
import { type Role, roleAtLeast } from "./core/actors.ts";
import { routeInputs } from "./core/api-input.ts";
import { acceptLanguage, callerLang, refusalSentence } from "./core/api-language.ts";
import type { AppEnv } from "./core/app-env.ts";
import type { CommandOutcome, Controller, LogFn } from "./core/controller.ts";
import { bearer, roleOfToken, tokenFingerprint } from "./core/credentials.ts";
import { requestBodyLimit } from "./request-body-limit.ts";

/** Version reported by the API and sent in hello frames. */
export const VOXOPS_VERSION = "0.1.0";

export interface AppOptions {
  readonly controller: Controller;
  readonly apiTokens: ReadonlyMap<string, Role>;
  readonly skipConfirm?: ReadonlySet<string>;
  /** Configuration mistakes found at start, reported by /agent/health. */
  readonly problems?: readonly string[];
  /** Extra routes a host or a later part mounts (e.g. the Telegram webhook). */
  readonly extend?: (app: Hono<AppEnv>) => void;
  /** Where the error handler writes what it does not show the caller. */
  readonly log?: LogFn;
}

export type { AppEnv };

/** The id of the request being served (the `X-Request-Id` answered), for log lines; none outside one. */
export function currentRequestId(): string | undefined {
  return tryGetContext<AppEnv>()?.var.requestId;
}

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
  // Before every other middleware and route, so no body over the limit is ever read whole.
  app.use("*", requestBodyLimit());

  // The caller sees only that it failed and the request id; the log line has the error itself.
  app.use(contextStorage(), requestId());
  app.onError((error, c) => {
    const id = c.get("requestId");
    // The body may be what failed, so the language comes from the query or Accept-Language alone.
    const query = c.req.query("lang");
    const lang = query === "ru" || query === "en" ? query : acceptLanguage(c.req.header("accept-language"));
    // A body that is not JSON is the caller's mistake, on every route that reads one.
    if (error instanceof SyntaxError && /JSON/.test(error.message))
      return c.json({ error: "bad-request", message: refusalSentence("bad-json", lang), requestId: id }, 400);
    options.log?.("error", "request failed", {
      kind: "error",
      requestId: id,
      method: c.req.method,
      path: new URL(c.req.url).pathname,
      error: String(error).slice(0, 500),
      ...(error instanceof Error && error.stack ? { stack: error.stack.slice(0, 1500) } : {}),
    });
    return c.json(
      { error: "internal", message: refusalSentence("internal", lang, { requestId: id }), requestId: id },
      500,
    );
  });
  app.notFound(async (c) =>
    c.json(
      {
        error: "not-found",
        message: refusalSentence("no-route", await callerLang(c), {
          method: c.req.method,
          path: new URL(c.req.url).pathname,
        }),
      },
      404,
    ),
  );

  // Liveness for the Fly check and load balancers: no token, and nothing about the fleet in the answer.
  app.get("/healthz", (c) => {
    try {
      controller.fleet();
      return c.text("ok\n");
    } catch (error) {
      options.log?.("error", "liveness check failed", { kind: "error", error: String(error).slice(0, 500) });
      return c.text("unavailable\n", 503);
    }
  });

  app.use("/agent/*", async (c, next) => {
    const token = bearer(c.req.header("authorization"));
    const role = token === undefined ? undefined : await roleOfToken(apiTokens, token);
    if (token === undefined || role === undefined) {
      const source = clientAddress(c);
      controller.audit.refusal({
        actor: { kind: "api", id: source },
        action: "api-auth",
        target: `${c.req.method} ${new URL(c.req.url).pathname}`,
        outcome: "refused",
        detail: `${token === undefined ? "no API token" : "an API token that is not valid"} from ${source}`,
        source,
        reason: token === undefined ? "no token" : "invalid token",
      });
      return c.json(
        {
          error: "unauthorized",
          message: refusalSentence(token === undefined ? "no-token" : "invalid-token", await callerLang(c)),
        },
        401,
      );
    }
    c.set("actor", { kind: "api", id: `token:${await tokenFingerprint(token)}`, role });
    c.set("skipConfirm", options.skipConfirm?.has(token) ?? false);
    await next();
  });
  // Every route of the table gets its body, query and parameters parsed by the table's schemas first.
  app.use("/agent/*", routeInputs(apiRoutes, controller.audit));

  app.get("/agent/health", (c) => {
    const fleet = controller.fleet();
    const problems = options.problems ?? [];
    return c.json({
      ok: problems.length === 0,
      version: VOXOPS_VERSION,
      ...(problems.length > 0 ? { problems } : {}),
      sidecars: fleet
        .filter((v) => v.connected)
        .map((v) => ({ vm: v.vm, lastSeenAgoS: v.lastSeenAgoS, version: v.sidecarVersion })),
      vms: fleet.map((v) => ({ vm: v.vm, connected: v.connected, lastSeenAgoS: v.lastSeenAgoS })),
    });
  });

  app.get("/agent/commands/:id", async (c) => {
    const role = c.get("actor").role;
    if (!roleAtLeast(role, "operator"))
      return c.json(
        { error: "forbidden", message: refusalSentence("needs-operator", await callerLang(c), { role }) },
        403,
      );
    const command = controller.command(c.req.param("id"));
    if (!command)
      return c.json(
        {
          error: "not-found",
          message: refusalSentence("no-command", await callerLang(c), { id: c.req.param("id") }),
        },
        404,
      );
    return c.json(command);
  });

  app.get("/agent/audit", async (c) => {
    const actor = c.get("actor");
    if (!roleAtLeast(actor.role, "admin"))
      return c.json(
        {
          error: "forbidden",
          message: refusalSentence("needs-admin", await callerLang(c), { role: actor.role }),
        },
        403,
      );
    const limit = Number(c.req.query("limit") ?? 50);
    return c.json({ records: controller.audit.recent(Number.isFinite(limit) ? limit : 50) });
  });

  options.extend?.(app);
  return app;
}
