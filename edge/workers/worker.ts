/**
 * The Worker entry: routes `/agent/*`, `/mcp`, `/sidecar`, `/telegram` and the `/healthz` liveness
 * check to the fleet's Durable Object.
 */
import { acceptLanguage, refusalSentence } from "../core/api-language.ts";
import { declaresTooLargeBody, payloadTooLarge } from "../request-body-limit.ts";
import type { Env } from "./env.ts";

export { Fleet } from "./fleet-object.ts";

const routed = (path: string): boolean =>
  path === "/sidecar" ||
  path === "/telegram" ||
  path === "/mcp" ||
  path === "/healthz" ||
  path.startsWith("/agent/");

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    const { pathname } = new URL(request.url);
    if (!routed(pathname))
      return Response.json(
        {
          error: "not-found",
          message: refusalSentence(
            "no-route",
            acceptLanguage(request.headers.get("accept-language") ?? undefined),
            {
              method: request.method,
              path: pathname,
            },
          ),
        },
        { status: 404 },
      );
    // A declared oversize body is refused here without waking the Durable Object; the app inside it
    // counts chunked bodies as they stream in.
    if (declaresTooLargeBody(request)) return payloadTooLarge(undefined, request);
    const stub = env.FLEET.get(env.FLEET.idFromName("fleet"));
    return stub.fetch(request);
  },
} satisfies ExportedHandler<Env>;
