/**
 * The LLM's tools are the catalog's typed actions: the JSON Schema of each argument schema (converted
 * at build time, `generated-schemas.ts`) plus the VM to act on, limited to the inventory's VMs and services. Which actions it
 * may run at once and which it may only propose comes from each definition's `llm` policy.
 */
import { type ActionName, actionDefinitions, definitionOf } from "../../protocol/actions/catalog.ts";
import type { Inventory } from "../../protocol/inventory.ts";
import { actionArgsJsonSchema } from "../schemas/generated-schemas.ts";
import type { ToolSpec } from "./chat.ts";

const names = Object.keys(actionDefinitions) as ActionName[];

/** Actions the LLM may run at once (reads; policy "run"). */
export const readTools: readonly ActionName[] = names.filter((a) => actionDefinitions[a].llm === "run");

/** Actions the LLM may only propose; they go through the operator's confirmation (policy "propose"). */
export const proposeTools: readonly ActionName[] = names.filter(
  (a) => actionDefinitions[a].llm === "propose",
);

/** True when the LLM may run `action` at once. */
export function runsAtOnce(action: string): boolean {
  return definitionOf(action)?.llm === "run";
}

/** Builds the tool specs for the given actions. */
export function toolSpecs(actions: readonly ActionName[], inventory: Inventory): ToolSpec[] {
  const vms = inventory.vms.map((v) => v.name);
  const services = [...new Set(inventory.vms.flatMap((v) => v.services.map((s) => s.name)))].sort();
  return actions.map((action) => {
    const def = actionDefinitions[action];
    const rest = actionArgsJsonSchema(action);
    const properties = { ...((rest["properties"] as Record<string, unknown> | undefined) ?? {}) };
    const service = properties["service"];
    if (typeof service === "object" && service !== null && services.length > 0)
      properties["service"] = { ...service, enum: services };
    properties["vm"] = { type: "string", enum: vms, description: "the VM to act on" };
    const required = [...((rest["required"] as string[] | undefined) ?? []), "vm"];
    return {
      name: action,
      description: `${def.summary.en} (risk: ${def.risk}${def.llm === "run" ? ", runs at once" : ", proposed to the operator for confirmation"})`,
      parameters: { ...rest, properties, required },
    };
  });
}
