/**
 * `voxops mcp`: the controller's MCP server over stdio for local clients (Claude Desktop, Claude
 * Code). It relays each request to the controller's `/mcp` with the API token, so the tools, the
 * gate, the confirmations and the audit are the controller's own; the controller's confirmation
 * questions are passed on to the local client when it can ask the human.
 */
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import {
  StreamableHTTPClientTransport,
  StreamableHTTPError,
} from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { Server } from "@modelcontextprotocol/sdk/server/index.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import {
  CallToolRequestSchema,
  CallToolResultSchema,
  ElicitRequestSchema,
  ListResourcesRequestSchema,
  ListResourcesResultSchema,
  ListResourceTemplatesRequestSchema,
  ListResourceTemplatesResultSchema,
  ListToolsRequestSchema,
  ListToolsResultSchema,
  McpError,
  ReadResourceRequestSchema,
  ReadResourceResultSchema,
} from "@modelcontextprotocol/sdk/types.js";
import type { Lang } from "../core/desk.ts";
import { toolError } from "./mcp-results.ts";
import { callLang } from "./mcp-texts.ts";

/** Where the bridge relays to and how it reports trouble. */
export interface StdioBridgeOptions {
  /** The controller's base URL (VOXOPS_URL). */
  readonly url: string;
  /** The API token (VOXOPS_API_TOKEN). */
  readonly token: string;
  readonly version: string;
  readonly log: (line: string) => void;
}

/** The longest a relayed tool call may take: the slowest action (a deploy) plus its confirmation. */
const CALL_TIMEOUT_MS = 16 * 60_000;

/** The controller's refusal or silence, in words, in the call's language (kept here: the Worker never relays). */
function relayFailure(error: unknown, url: string, lang: Lang): string {
  const ru = lang === "ru";
  if (error instanceof StreamableHTTPError && error.code === 401)
    return ru
      ? `Контроллер ${url} не принял API-токен: укажите в VOXOPS_API_TOKEN один из токенов его VOXOPS_API_TOKENS.`
      : `The controller at ${url} refused the API token; set VOXOPS_API_TOKEN to one of the tokens in its VOXOPS_API_TOKENS.`;
  if (error instanceof McpError) return error.message;
  const why = String(error).slice(0, 200);
  return ru
    ? `Контроллер ${url} не ответил (${why}): проверьте VOXOPS_URL и что контроллер запущен.`
    : `The controller at ${url} did not answer (${why}); check VOXOPS_URL and that the controller runs.`;
}

/** Runs the bridge on this process's stdin/stdout until the client closes it. */
export async function runStdioBridge(options: StdioBridgeOptions): Promise<void> {
  const { url, token, log } = options;
  const local = new Server(
    { name: "voxops", version: options.version },
    { capabilities: { tools: {}, resources: {} } },
  );
  let remote: Promise<Client> | undefined;

  const connect = async (): Promise<Client> => {
    const asks = local.getClientCapabilities()?.elicitation !== undefined;
    const client = new Client(
      { name: "voxops-mcp-stdio", version: options.version },
      { capabilities: asks ? { elicitation: { form: {} } } : {} },
    );
    if (asks) client.setRequestHandler(ElicitRequestSchema, (request) => local.elicitInput(request.params));
    const transport = new StreamableHTTPClientTransport(new URL(`${url.replace(/\/$/, "")}/mcp`), {
      requestInit: { headers: { authorization: `Bearer ${token}` } },
    });
    await client.connect(transport);
    return client;
  };
  /** Sends a request to the controller, opening a new session once if the old one has ended. */
  const relay = async <T>(send: (client: Client) => Promise<T>, lang: Lang = "en"): Promise<T> => {
    for (let attempt = 0; ; attempt++) {
      remote ??= connect();
      const current = remote;
      try {
        return await send(await current);
      } catch (error) {
        const ended = error instanceof StreamableHTTPError && error.code === 404;
        if (remote === current) remote = undefined;
        if (!ended || attempt > 0)
          throw error instanceof McpError ? error : new McpError(-32603, relayFailure(error, url, lang));
        log("voxops mcp: the controller's session ended; opening a new one");
      }
    }
  };

  local.setRequestHandler(ListToolsRequestSchema, (r) =>
    relay((c) => c.request({ method: "tools/list", params: r.params ?? {} }, ListToolsResultSchema)),
  );
  local.setRequestHandler(CallToolRequestSchema, async (r) => {
    try {
      return await relay(
        (c) =>
          c.request({ method: "tools/call", params: r.params }, CallToolResultSchema, {
            timeout: CALL_TIMEOUT_MS,
          }),
        callLang(r.params.arguments?.["lang"], "en"),
      );
    } catch (error) {
      return toolError(
        error instanceof McpError ? error.message.replace(/^MCP error -?\d+: /, "") : String(error),
      );
    }
  });
  local.setRequestHandler(ListResourcesRequestSchema, (r) =>
    relay((c) => c.request({ method: "resources/list", params: r.params ?? {} }, ListResourcesResultSchema)),
  );
  local.setRequestHandler(ListResourceTemplatesRequestSchema, (r) =>
    relay((c) =>
      c.request(
        { method: "resources/templates/list", params: r.params ?? {} },
        ListResourceTemplatesResultSchema,
      ),
    ),
  );
  local.setRequestHandler(ReadResourceRequestSchema, (r) =>
    relay((c) => c.request({ method: "resources/read", params: r.params }, ReadResourceResultSchema)),
  );

  const closed = new Promise<void>((resolve) => {
    local.onclose = () => resolve();
  });
  await local.connect(new StdioServerTransport());
  // The stdio transport does not notice the end of its input: the client went away.
  process.stdin.once("end", () => void local.close());
  log(`voxops mcp: relaying to ${url}/mcp`);
  await closed;
  const client = await remote?.catch(() => undefined);
  await client?.close();
}
