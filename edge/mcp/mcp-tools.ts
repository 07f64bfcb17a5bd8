/**
 * The MCP tool list, generated from the action catalog: one tool per operator action (its name,
 * summary, risk and the JSON Schema of its arguments) plus `ask` and `confirm`. Nothing here is
 * written per action, so a new action in the catalog becomes a tool without a change here.
 */
import type { Tool } from "@modelcontextprotocol/sdk/types.js";
import * as z from "zod";
import {
  type ActionName,
  actionArgs,
  actionDefinitions,
  actionSpecs,
  isActionName,
} from "../../protocol/actions/catalog.ts";
import type { Inventory } from "../../protocol/inventory.ts";
import { actionArgsJsonSchema, generatedSchemas } from "../schemas/generated-schemas.ts";

/** True when the action's definition offers it to MCP clients (`mcp` is not "internal"). */
function offeredAsTool(name: ActionName): boolean {
  return actionDefinitions[name].mcp !== "internal";
}

/** Tool arguments that pick the target and the reply's language, beside the action's own. */
export const routingKeys = ["vm", "lang"] as const;

/** The structured result of an action tool: what ran where, or the confirmation it waits for. */
export const actionResultSchema = z.object({
  status: z.enum(["ok", "pending-confirmation"]),
  text: z.string(),
  results: z
    .array(
      z.object({
        vm: z.string(),
        ok: z.boolean(),
        output: z.unknown().optional(),
        error: z.object({ code: z.string(), message: z.string() }).optional(),
      }),
    )
    .optional(),
  confirmationId: z.string().optional(),
  readBack: z.string().optional(),
  expiresAt: z.string().optional(),
});

/** The structured result of an action tool, as sent. */
export type ActionResult = z.infer<typeof actionResultSchema>;

/** The catalog actions offered as tools. */
export function toolActions(): ActionName[] {
  return Object.keys(actionArgs).filter(
    (name): name is ActionName => isActionName(name) && offeredAsTool(name),
  );
}

/** True when `name` is a catalog action offered as a tool. */
export function isToolAction(name: string): name is ActionName {
  return isActionName(name) && offeredAsTool(name);
}

function objectSchema(properties: Record<string, object>, required: string[]): Tool["inputSchema"] {
  return { type: "object", properties, required, additionalProperties: false };
}

const langProperty = {
  type: "string",
  enum: ["en", "ru"],
  description: "Language of the reply text: en (default) or ru.",
};

function actionTool(action: ActionName, vmNames: readonly string[]): Tool {
  const spec = actionSpecs[action];
  const args = actionArgsJsonSchema(action);
  const properties = (args["properties"] ?? {}) as Record<string, object>;
  const required = (args["required"] ?? []) as string[];
  const asks = spec.confirm || spec.risk === "destructive";
  return {
    name: action,
    title: `${action[0]?.toUpperCase() ?? ""}${action.slice(1).replaceAll("-", " ")}`,
    description:
      `${spec.summary[0]?.toUpperCase() ?? ""}${spec.summary.slice(1)}. Risk: ${spec.risk}.` +
      (asks
        ? " Asks the human to confirm (through the client when it can, otherwise returns a confirmation id for the confirm tool)."
        : "") +
      " Without vm, a service's own VM is used when exactly one runs it.",
    inputSchema: objectSchema(
      {
        ...properties,
        vm: {
          type: "string",
          enum: [...vmNames, "all"],
          description: "The VM to act on, or all.",
        },
        lang: langProperty,
      },
      required,
    ),
    outputSchema: generatedSchemas.actionResult as Tool["outputSchema"],
    annotations: {
      readOnlyHint: spec.risk === "read",
      destructiveHint: spec.risk === "destructive",
      idempotentHint: spec.risk === "read",
      openWorldHint: false,
    },
  };
}

/** Every tool the MCP server lists, for an inventory's VM names. */
export function listTools(inventory: Inventory): Tool[] {
  const vmNames = inventory.vms.map((v) => v.name);
  return [
    ...toolActions().map((action) => actionTool(action, vmNames)),
    {
      name: "ask",
      title: "Ask",
      description:
        "Ask in words, Russian or English, as in the Telegram chat (e.g. 'restart grok-voice on the main VM'). Understood requests run through the same checks and confirmations as the other tools.",
      inputSchema: objectSchema(
        { text: { type: "string", minLength: 1, maxLength: 2000 }, lang: langProperty },
        ["text"],
      ),
      annotations: { readOnlyHint: false, destructiveHint: true, openWorldHint: false },
    },
    {
      name: "confirm",
      title: "Confirm",
      description:
        "Confirm (or with cancel: true, cancel) a pending confirmation by its id. Only the API token that asked may confirm, once, before it expires.",
      inputSchema: objectSchema(
        {
          id: { type: "string", minLength: 1, maxLength: 64 },
          cancel: { type: "boolean", description: "Cancel instead of confirming." },
          lang: langProperty,
        },
        ["id"],
      ),
      annotations: { readOnlyHint: false, destructiveHint: true, openWorldHint: false },
    },
  ];
}
