/**
 * The catalog of typed actions: the only way anything runs on a VM. Telegram, the HTTPS API, the
 * CLI, the LLM's tools and the auto-fix rules all build these objects and pass the same policy gate.
 * Each action is one definition in `protocol/actions/<name>.ts`; the tables here are derived from them.
 */
import type * as z from "zod";
import type { ActionDefinition, Risk } from "../action-definition.ts";
import { actionDefinitions } from "./index.ts";

export type { ActionDefinition, Lang, LlmPolicy, Risk } from "../action-definition.ts";
export { gitRefSchema, relativePathSchema, serviceNameSchema } from "../names.ts";
export { actionDefinitions } from "./index.ts";

type Definitions = typeof actionDefinitions;

export type ActionName = keyof Definitions;
/** The arguments of an action after its schema's defaults. */
export type ActionArgs<A extends ActionName> = z.output<Definitions[A]["args"]>;
/** What an action's handler returns. */
export type ActionOutput<A extends ActionName> = z.output<Definitions[A]["output"]>;

/** All definitions, as a list. */
export const actionList: readonly ActionDefinition[] = Object.values(actionDefinitions) as ActionDefinition[];

/** Argument schemas of every action, keyed by action name. */
export const actionArgs = Object.fromEntries(
  Object.entries(actionDefinitions).map(([name, d]) => [name, d.args]),
) as { readonly [A in ActionName]: Definitions[A]["args"] };

/** Static facts about an action: its risk and whether a human must confirm it. */
export interface ActionSpec {
  readonly risk: Risk;
  readonly confirm: boolean;
  readonly summary: string;
  /** How long the controller waits for the result when the caller gives no deadline. */
  readonly timeoutMs?: number;
}

/** Risk and confirmation per action. */
export const actionSpecs = Object.fromEntries(
  Object.entries(actionDefinitions).map(([name, d]) => [
    name,
    {
      risk: d.risk,
      confirm: d.confirm,
      summary: d.summary.en,
      ...(d.timeoutMs === undefined ? {} : { timeoutMs: d.timeoutMs }),
    },
  ]),
) as Record<ActionName, ActionSpec>;

/** True when `name` is an action in the catalog. */
export function isActionName(name: string): name is ActionName {
  return Object.hasOwn(actionDefinitions, name);
}

/** The definition of a named action, or undefined for a name outside the catalog. */
export function definitionOf(name: string): ActionDefinition | undefined {
  return isActionName(name) ? (actionDefinitions[name] as ActionDefinition) : undefined;
}

export type ParsedAction =
  | { ok: true; action: ActionName; args: Record<string, unknown> }
  | { ok: false; code: "unknown-action" | "invalid-args"; message: string };

/** Validates an action name and its arguments against the catalog. */
export function parseAction(action: string, args: unknown): ParsedAction {
  if (!isActionName(action))
    return { ok: false, code: "unknown-action", message: `unknown action "${action.slice(0, 40)}"` };
  const parsed = (actionDefinitions[action].args as z.ZodType).safeParse(args ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue && issue.path.length > 0 ? `${issue.path.join(".")}: ` : "";
    return {
      ok: false,
      code: "invalid-args",
      message: `${action}: ${where}${issue?.message ?? "invalid arguments"}`,
    };
  }
  return { ok: true, action, args: parsed.data as Record<string, unknown> };
}
