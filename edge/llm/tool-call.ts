/**
 * Checking an LLM's tool call before it becomes anything: the tool must be one offered for this
 * request, the VM one of the inventory's, the arguments valid for the catalog's schema, the service
 * one that runs on that VM. A call that fails is refused with the reason, never repaired.
 */
import { type ActionName, isActionName, parseAction } from "../../protocol/actions/catalog.ts";
import type { Inventory } from "../../protocol/inventory.ts";
import type { ToolCall } from "./chat.ts";

/** A tool call that passed every check: a typed action for the policy gate. */
export interface CheckedCall {
  readonly action: ActionName;
  readonly args: Readonly<Record<string, unknown>>;
  readonly vm: string;
}

/** The verdict on one tool call. */
export type CallCheck = { ok: true; call: CheckedCall } | { ok: false; reason: string };

/** Checks one tool call against the offered tools and the inventory. */
export function checkToolCall(call: ToolCall, offered: ReadonlySet<string>, inventory: Inventory): CallCheck {
  const name = call.name.slice(0, 64);
  if (!isActionName(call.name)) return { ok: false, reason: `unknown tool "${name}"` };
  if (!offered.has(call.name))
    return { ok: false, reason: `tool "${name}" was not offered for this request` };
  if (call.argsError !== undefined) return { ok: false, reason: `${name}: arguments are not valid JSON` };
  if (typeof call.args !== "object" || call.args === null || Array.isArray(call.args))
    return { ok: false, reason: `${name}: arguments must be an object` };
  const { vm, ...rest } = call.args as Record<string, unknown>;
  if (typeof vm !== "string") return { ok: false, reason: `${name}: vm is missing` };
  if (inventory.vm(vm) === undefined)
    return { ok: false, reason: `${name}: unknown VM "${vm.slice(0, 40)}"` };
  const parsed = parseAction(call.name, rest);
  if (!parsed.ok) return { ok: false, reason: parsed.message };
  const service = parsed.args["service"];
  if (typeof service === "string" && inventory.service(vm, service) === undefined)
    return { ok: false, reason: `${name}: ${service} does not run on ${vm}` };
  return { ok: true, call: { action: parsed.action, args: parsed.args, vm } };
}
