/**
 * The MCP server for one authenticated caller: the catalog's actions, `ask` and `confirm` as tools,
 * the fleet as resources. Every call goes through the operator desk (the policy gate, the
 * confirmations, the audit) as the caller's actor, exactly like the HTTPS API.
 */
import { Server } from "@modelcontextprotocol/sdk/server/index.js";
import {
  CallToolRequestSchema,
  type CallToolResult,
  ListResourcesRequestSchema,
  ListResourceTemplatesRequestSchema,
  ListToolsRequestSchema,
  ReadResourceRequestSchema,
  type RequestId,
} from "@modelcontextprotocol/sdk/types.js";
import { CfWorkerJsonSchemaValidator } from "@modelcontextprotocol/sdk/validation/cfworker";
import { type ActionName, actionSpecs } from "../../protocol/actions/catalog.ts";
import type { Inventory } from "../../protocol/inventory.ts";
import type { Actor } from "../core/actors.ts";
import { resolveTargets } from "../core/api-targets.ts";
import type { Controller } from "../core/controller.ts";
import type { Lang } from "../core/desk.ts";
import { refusalText } from "../core/desk-texts.ts";
import type { OperatorDesk } from "../core/operator-desk.ts";
import { confirmThroughClient } from "./mcp-elicit.ts";
import { listResources, listResourceTemplates, readResource } from "./mcp-resources.ts";
import { submitToolResult, toolError } from "./mcp-results.ts";
import { callLang, mcpText } from "./mcp-texts.ts";
import { isToolAction, listTools, routingKeys } from "./mcp-tools.ts";

/** What the MCP server works with: the same desk, controller and inventory as the HTTPS API. */
export interface McpDeps {
  readonly controller: Controller;
  readonly desk: OperatorDesk;
  readonly inventory: Inventory;
  readonly now: () => number;
  /** The version reported to clients. */
  readonly version: string;
}

/** The caller a server is built for: the token's actor, whether it may skip confirmations, and its language. */
export interface McpCaller {
  readonly actor: Actor;
  readonly skipConfirm: boolean;
  /** The session's language (Accept-Language when it was opened); a tool call's `lang` overrides it. */
  readonly lang: Lang;
}

type Args = Record<string, unknown>;

/** Creates the MCP server for one caller. */
export function createMcpServer(deps: McpDeps, caller: McpCaller): Server {
  const { desk, inventory, now } = deps;
  const { actor } = caller;
  const server = new Server(
    { name: "voxops", version: deps.version },
    {
      capabilities: { tools: {}, resources: {} },
      instructions:
        "voxops runs typed operations on a small fleet of VMs (status, logs, metrics, errors, restart, fix, config, deploy, backup, restore, reboot). Risky actions need the human's confirmation.",
      // Ajv compiles validators with `new Function`, which Workers forbid; this one interprets schemas.
      jsonSchemaValidator: new CfWorkerJsonSchemaValidator(),
    },
  );

  async function callAction(action: ActionName, args: Args, callId: RequestId): Promise<CallToolResult> {
    const lang = callLang(args["lang"], caller.lang);
    const actionArgs = Object.fromEntries(
      Object.entries(args).filter(([k]) => !(routingKeys as readonly string[]).includes(k)),
    );
    const service = typeof actionArgs["service"] === "string" ? actionArgs["service"] : undefined;
    const targets = resolveTargets(inventory, {
      vm: typeof args["vm"] === "string" ? args["vm"] : undefined,
      service,
      fanOut: actionSpecs[action].risk === "read",
      lang,
    });
    if (!targets.ok) return toolError(targets.message);
    const submitted = await desk.submit(actor, {
      action,
      args:
        targets.service && service !== undefined ? { ...actionArgs, service: targets.service } : actionArgs,
      vms: targets.vms,
      lang,
      origin: `via mcp: ${action}`,
      skipConfirm: caller.skipConfirm,
    });
    const settled =
      submitted.kind === "confirm"
        ? await confirmThroughClient(server, desk, actor, submitted, callId, lang)
        : undefined;
    return submitToolResult(settled ?? submitted, lang, now());
  }

  async function callAsk(args: Args, callId: RequestId): Promise<CallToolResult> {
    const text = typeof args["text"] === "string" ? args["text"].trim() : "";
    if (text === "") return toolError(mcpText("no-text", callLang(args["lang"], caller.lang)));
    const reply = await desk.handleText({
      actor,
      text: text.slice(0, 2000),
      ...(args["lang"] === "ru" || args["lang"] === "en" ? { lang: args["lang"] } : {}),
    });
    // A proposed code change is confirmed with its own tool, not by elicitation.
    const confirmationId = reply.confirmation?.kind === "action" ? reply.confirmation.id : undefined;
    if (confirmationId) {
      const readBack = (reply.text.split("\n")[0] ?? "").replace(/^❓\s*/, "");
      const settled = await confirmThroughClient(
        server,
        desk,
        actor,
        { id: confirmationId, readBack },
        callId,
        reply.lang,
      );
      if (settled) return submitToolResult(settled, reply.lang, now());
    }
    const content: CallToolResult["content"] = [{ type: "text", text: reply.text }];
    if (!confirmationId) return { content, structuredContent: { text: reply.text, lang: reply.lang } };
    return {
      content: [
        ...content,
        { type: "text", text: mcpText("confirm-with-tool", reply.lang, { id: confirmationId }) },
      ],
      structuredContent: { text: reply.text, lang: reply.lang, confirmationId },
    };
  }

  async function callConfirm(args: Args): Promise<CallToolResult> {
    const lang = callLang(args["lang"], caller.lang);
    const id = typeof args["id"] === "string" ? args["id"] : "";
    if (id === "") return toolError(mcpText("no-id", lang));
    const result = await desk.confirm(actor, id, args["cancel"] === true, lang);
    if (result.kind === "refused") return toolError(refusalText(lang, `confirm-${result.refusal}`));
    return submitToolResult(result, lang, now());
  }

  server.setRequestHandler(ListToolsRequestSchema, () => ({ tools: listTools(inventory) }));
  server.setRequestHandler(CallToolRequestSchema, async (request, extra) => {
    const { name } = request.params;
    const args = (request.params.arguments ?? {}) as Args;
    if (name === "ask") return callAsk(args, extra.requestId);
    if (name === "confirm") return callConfirm(args);
    if (isToolAction(name)) return callAction(name, args, extra.requestId);
    return toolError(mcpText("no-tool", callLang(args["lang"], caller.lang), { name: name.slice(0, 40) }));
  });
  server.setRequestHandler(ListResourcesRequestSchema, () => ({ resources: listResources(inventory) }));
  server.setRequestHandler(ListResourceTemplatesRequestSchema, () => ({
    resourceTemplates: listResourceTemplates(),
  }));
  server.setRequestHandler(ReadResourceRequestSchema, (request) =>
    readResource(deps, actor, request.params.uri, caller.lang),
  );
  return server;
}
