/**
 * What the desk does with an understanding: run catalog actions on named VMs (after the policy
 * gate), ask for a missing target, hand over to the LLM, show help, or do nothing.
 */
import { type ActionName, parseAction } from "../../protocol/actions/catalog.ts";
import type { Inventory } from "../../protocol/inventory.ts";
import type { Intent, Understanding } from "./understanding.ts";

/** The next step for the desk. */
export type NextStep =
  /** Run `action` with `args` on each VM in `vms` (each through the policy gate). */
  | {
      readonly kind: "action";
      readonly action: ActionName;
      readonly args: Record<string, unknown>;
      readonly vms: readonly string[];
    }
  /** Ask the operator for the missing targets, offering the candidates. */
  | {
      readonly kind: "ask";
      readonly intent: Intent;
      readonly missing: readonly ("vm" | "service")[];
      readonly candidates: Understanding["candidates"];
    }
  /** Hand over to the LLM; it may propose only these changing actions. */
  | { readonly kind: "llm"; readonly proposable: readonly ActionName[] }
  | { readonly kind: "help" }
  /** Nothing runs: negated, shell characters, or not understood without an LLM. */
  | { readonly kind: "nothing"; readonly reason: string };

const actionOf: Partial<Record<Intent, ActionName>> = {
  status: "status",
  logs: "logs",
  files: "files",
  metrics: "metrics",
  errors: "errors",
  restart: "restart",
  fix: "fix",
  reboot: "reboot",
  backup: "backup",
  deploy: "deploy",
};

/** Turns an understanding into the desk's next step. */
export function nextStep(u: Understanding, inventory: Inventory): NextStep {
  if (u.intent === "help") return { kind: "help" };
  if (u.intent === "unknown")
    return u.needsLlm ? { kind: "llm", proposable: [] } : { kind: "nothing", reason: u.reason ?? "no-match" };
  if (u.intent === "config") return u.missing.length > 0 ? ask(u) : { kind: "llm", proposable: ["config"] };
  if (u.intent === "code") return { kind: "llm", proposable: [] };
  const action = actionOf[u.intent];
  if (action === undefined || u.missing.length > 0 || u.args.vm === null || u.args.vm === undefined)
    return ask(u);
  const args: Record<string, unknown> = {};
  if (typeof u.args.service === "string") args["service"] = u.args.service;
  if (u.args.lines !== undefined) args["lines"] = u.args.lines;
  if (u.args.metric !== undefined) args["metric"] = u.args.metric;
  for (const key of ["op", "path", "fromLine", "toLine", "text"] as const) {
    if (u.intent === "files" && u.args[key] !== undefined) args[key] = u.args[key];
  }
  const parsed = parseAction(action, args);
  if (!parsed.ok) return { kind: "nothing", reason: parsed.message };
  const service = typeof u.args.service === "string" ? u.args.service : undefined;
  const vms =
    u.args.vm === "all"
      ? service === undefined
        ? inventory.vms.map((v) => v.name)
        : inventory.vmsWithService(service)
      : [u.args.vm];
  return { kind: "action", action, args: parsed.args, vms };
}

function ask(u: Understanding): NextStep {
  return {
    kind: "ask",
    intent: u.intent,
    missing: u.missing.length > 0 ? u.missing : ["vm"],
    candidates: u.candidates,
  };
}
