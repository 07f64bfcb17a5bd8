/**
 * The LLM's tools are the catalog's typed actions: the JSON Schema of each argument schema (zod 4's
 * toJSONSchema) plus the VM to act on, limited to the inventory's VMs and services.
 */
import * as z from "zod";
import { type ActionName, actionArgs, actionSpecs } from "../../protocol/actions.ts";
import type { Inventory } from "../../protocol/inventory.ts";
import type { ToolSpec } from "./chat.ts";

/** Actions that read and may run at once when the LLM asks; everything else is only proposed. */
export const readTools: readonly ActionName[] = ["status", "logs", "metrics", "errors"];

/** Builds the tool specs for the given actions. */
export function toolSpecs(actions: readonly ActionName[], inventory: Inventory): ToolSpec[] {
  const vms = inventory.vms.map((v) => v.name);
  const services = [...new Set(inventory.vms.flatMap((v) => v.services.map((s) => s.name)))].sort();
  return actions.map((action) => {
    const schema = z.toJSONSchema(actionArgs[action], { io: "input" }) as Record<string, unknown>;
    const { $schema: _ignored, ...rest } = schema;
    const properties = { ...((rest["properties"] as Record<string, unknown> | undefined) ?? {}) };
    const service = properties["service"];
    if (typeof service === "object" && service !== null && services.length > 0)
      properties["service"] = { ...service, enum: services };
    properties["vm"] = { type: "string", enum: vms, description: "the VM to act on" };
    const required = [...((rest["required"] as string[] | undefined) ?? []), "vm"];
    const spec = actionSpecs[action];
    return {
      name: action,
      description: `${spec.summary} (risk: ${spec.risk}${spec.risk === "read" ? ", runs at once" : ", proposed to the operator for confirmation"})`,
      parameters: { ...rest, properties, required },
    };
  });
}
