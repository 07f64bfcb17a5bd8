/**
 * `/mcp` on the Hono app: the MCP Streamable HTTP transport (the SDK's Web-standard one, so the
 * same code runs in the Durable Object and on Node), with bearer tokens and roles as the HTTPS API.
 * A session belongs to the token that opened it; sessions live in memory, so a restarted host
 * answers 404 and the client opens a new one.
 */
import { WebStandardStreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js";
import type { Hono } from "hono";
import type { Actor, Role } from "../core/actors.ts";
import { refusalSentence } from "../core/api-language.ts";
import type { AppEnv } from "../core/app-env.ts";
import { bearer, roleOfToken, tokenFingerprint } from "../core/credentials.ts";
import { newId } from "../core/ids.ts";
import { createMcpServer, type McpDeps } from "./mcp-server.ts";
import { mcpText, sessionLang } from "./mcp-texts.ts";

/** What `/mcp` needs beside the desk: the API tokens and which of them may skip confirmations. */
export interface McpRouteDeps extends McpDeps {
  readonly apiTokens: ReadonlyMap<string, Role>;
  readonly skipConfirm?: ReadonlySet<string>;
}

interface Session {
  readonly transport: WebStandardStreamableHTTPServerTransport;
  readonly actorId: string;
  lastUsed: number;
}

/** At most this many open sessions; the least recently used one is closed to make room. */
const MAX_SESSIONS = 64;
/** A session nobody used for this long is closed. */
const IDLE_MS = 60 * 60_000;

/** A JSON-RPC error response that is not about a particular request. */
const rpcError = (status: number, code: number, message: string, headers: Record<string, string> = {}) =>
  Response.json({ jsonrpc: "2.0", error: { code, message }, id: null }, { status, headers });

/** Mounts `/mcp` on the app. */
export function mountMcp(app: Hono<AppEnv>, deps: McpRouteDeps): void {
  const sessions = new Map<string, Session>();

  const sweep = (now: number) => {
    for (const [id, s] of sessions)
      if (now - s.lastUsed > IDLE_MS) {
        sessions.delete(id);
        void s.transport.close();
      }
    while (sessions.size >= MAX_SESSIONS) {
      const oldest = [...sessions.entries()].sort((a, b) => a[1].lastUsed - b[1].lastUsed)[0];
      if (!oldest) break;
      sessions.delete(oldest[0]);
      void oldest[1].transport.close();
    }
  };

  app.all("/mcp", async (c) => {
    // A refusal is sent before the body is read. workerd reports a body left unread behind a sent
    // response as an uncaught error, so a small one is read (and dropped); a large one is cancelled.
    const refuse = async (response: Response) => {
      const length = Number(c.req.header("content-length") ?? "0");
      if (length > 0 && length <= 65_536) await c.req.raw.arrayBuffer().catch(() => {});
      else await c.req.raw.body?.cancel().catch(() => {});
      return response;
    };
    const lang = sessionLang(c.req.header("accept-language"));
    const token = bearer(c.req.header("authorization"));
    const role = token === undefined ? undefined : await roleOfToken(deps.apiTokens, token);
    if (token === undefined || role === undefined)
      return refuse(
        rpcError(401, -32001, refusalSentence(token === undefined ? "no-token" : "invalid-token", lang), {
          "www-authenticate": 'Bearer realm="voxops"',
        }),
      );
    const actor: Actor = { kind: "mcp", id: `token:${await tokenFingerprint(token)}`, role };
    // Replies to a call come on the call's own stream; there is no standalone server stream.
    if (c.req.method === "GET")
      return refuse(
        rpcError(405, -32000, mcpText("no-stream", lang), {
          allow: "POST, DELETE",
        }),
      );
    const now = deps.now();
    const sessionId = c.req.header("mcp-session-id");
    if (sessionId !== undefined) {
      const session = sessions.get(sessionId);
      if (!session) return refuse(rpcError(404, -32001, mcpText("session-ended", lang)));
      if (session.actorId !== actor.id)
        return refuse(rpcError(403, -32001, mcpText("session-other-token", lang)));
      session.lastUsed = now;
      return session.transport.handleRequest(c.req.raw);
    }
    sweep(now);
    const transport: WebStandardStreamableHTTPServerTransport = new WebStandardStreamableHTTPServerTransport({
      sessionIdGenerator: newId,
      onsessioninitialized: (id) => {
        sessions.set(id, { transport, actorId: actor.id, lastUsed: now });
      },
      onsessionclosed: (id) => {
        sessions.delete(id);
      },
    });
    const server = createMcpServer(deps, {
      actor,
      skipConfirm: deps.skipConfirm?.has(token) ?? false,
      lang,
    });
    await server.connect(transport);
    return transport.handleRequest(c.req.raw);
  });
}
