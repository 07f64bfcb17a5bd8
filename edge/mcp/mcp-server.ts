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
import type { Controller } from "../core/controller.ts";
import type { Lang } from "../core/desk.ts";
import { refusalText, t } from "../core/desk-texts.ts";
import type { OperatorDesk, SubmitResult } from "../core/operator-desk.ts";
import { askForConfirmation, canElicit } from "./mcp-elicit.ts";
import { listResources, listResourceTemplates, readResource } from "./mcp-resources.ts";
import { submitToolResult, toolError } from "./mcp-results.ts";
import { resolveTargets } from "./mcp-targets.ts";
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

/** The caller a server is built for: the token's actor and whether it may skip confirmations. */
export interface McpCaller {
  readonly actor: Actor;
  readonly skipConfirm: boolean;
}

type Args = Record<string, unknown>;

const langOf = (v: unknown): Lang => (v === "ru" ? "ru" : "en");

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

  /** Settles a pending confirmation through the client's elicitation, when the client offers it. */
  async function settleByElicitation(
    result: SubmitResult,
    callId: RequestId,
    lang: Lang,
  ): Promise<SubmitResult | undefined> {
    if (result.kind !== "confirm" || !canElicit(server)) return undefined;
    const answer = await askForConfirmation(server, callId, result.readBack, lang);
    if (answer === "unavailable") return undefined;
    const settled = await desk.confirm(actor, result.id, answer !== "yes");
    if (settled.kind === "refused")
      return { kind: "invalid", message: refusalText(lang, `confirm-${settled.refusal}`) };
    if (answer !== "yes")
      return {
        kind: "denied",
        message: t(
          lang,
          "Человек не подтвердил; ничего не выполнено.",
          "Not confirmed by the human; nothing was run.",
        ),
      };
    return settled;
  }

  async function callAction(action: ActionName, args: Args, callId: RequestId): Promise<CallToolResult> {
    const lang = langOf(args["lang"]);
    const actionArgs = Object.fromEntries(
      Object.entries(args).filter(([k]) => !(routingKeys as readonly string[]).includes(k)),
    );
    const targets = resolveTargets(
      inventory,
      args["vm"],
      actionArgs["service"],
      actionSpecs[action].risk === "read",
      lang,
    );
    if (!targets.ok) return toolError(targets.message);
    const submitted = await desk.submit(actor, {
      action,
      args: actionArgs,
      vms: targets.vms,
      lang,
      origin: `via mcp: ${action}`,
      skipConfirm: caller.skipConfirm,
    });
    const result = (await settleByElicitation(submitted, callId, lang)) ?? submitted;
    return submitToolResult(result, lang, now());
  }

  async function callAsk(args: Args, callId: RequestId): Promise<CallToolResult> {
    const text = typeof args["text"] === "string" ? args["text"].trim() : "";
    if (text === "") return toolError("Say what to do in the text argument, e.g. 'status of the main VM'.");
    const reply = await desk.handleText({
      actor,
      text: text.slice(0, 2000),
      ...(args["lang"] === "ru" || args["lang"] === "en" ? { lang: args["lang"] } : {}),
    });
    // A proposed code change is confirmed with its own tool, not by elicitation.
    const confirmationId = reply.confirmation?.kind === "action" ? reply.confirmation.id : undefined;
    if (confirmationId && canElicit(server)) {
      const answer = await askForConfirmation(
        server,
        callId,
        (reply.text.split("\n")[0] ?? "").replace(/^❓\s*/, ""),
        reply.lang,
      );
      if (answer !== "unavailable") {
        const settled = await desk.confirm(actor, confirmationId, answer !== "yes");
        if (settled.kind === "refused")
          return toolError(refusalText(reply.lang, `confirm-${settled.refusal}`));
        if (answer !== "yes")
          return toolError(
            t(
              reply.lang,
              "Человек не подтвердил; ничего не выполнено.",
              "Not confirmed by the human; nothing was run.",
            ),
          );
        return submitToolResult(settled, reply.lang, now());
      }
    }
    const content: CallToolResult["content"] = [{ type: "text", text: reply.text }];
    if (!confirmationId) return { content, structuredContent: { text: reply.text, lang: reply.lang } };
    return {
      content: [
        ...content,
        {
          type: "text",
          text: t(
            reply.lang,
            `Подтвердите инструментом confirm с id ${confirmationId}.`,
            `Confirm with the confirm tool and id ${confirmationId}.`,
          ),
        },
      ],
      structuredContent: { text: reply.text, lang: reply.lang, confirmationId },
    };
  }

  async function callConfirm(args: Args): Promise<CallToolResult> {
    const lang = langOf(args["lang"]);
    const id = typeof args["id"] === "string" ? args["id"] : "";
    if (id === "") return toolError("Give the confirmation's id, as the action's answer named it.");
    const result = await desk.confirm(actor, id, args["cancel"] === true);
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
    return toolError(
      `There is no tool called "${name.slice(0, 40)}". List the tools to see the actions voxops offers.`,
    );
  });
  server.setRequestHandler(ListResourcesRequestSchema, () => ({ resources: listResources(inventory) }));
  server.setRequestHandler(ListResourceTemplatesRequestSchema, () => ({
    resourceTemplates: listResourceTemplates(),
  }));
  server.setRequestHandler(ReadResourceRequestSchema, (request) =>
    readResource(deps, actor, request.params.uri),
  );
  return server;
}
