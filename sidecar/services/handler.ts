/** What an action handler on the sidecar receives and how it reports failure. */
import type { ActionArgs, ActionName, ActionOutput } from "../../protocol/actions/catalog.ts";
import type { Inventory } from "../../protocol/inventory.ts";

/** Everything an action needs from the sidecar besides its arguments. */
export interface ActionContext {
  readonly vm: string;
  readonly inventory: Inventory;
  /** Epoch milliseconds after which the controller no longer waits for the result. */
  readonly deadline: number;
  readonly signal: AbortSignal;
  now(): number;
  /** Tells the controller a long action reached a named step (checks, restarting, …); absent in tests that need no progress. */
  readonly progress?: (step: string) => void;
}

/**
 * Runs one action whose arguments were already validated against the catalog. `ActionHandler<"metrics">`
 * takes the parsed arguments of its definition and returns its output type; the bare form is the
 * runner's untyped view of a handler (sidecar.ts calls it only with arguments the catalog parsed).
 */
export type ActionHandler<A extends ActionName | undefined = undefined> = A extends ActionName
  ? (args: ActionArgs<A>, ctx: ActionContext) => Promise<ActionOutput<A>>
  : (args: Record<string, unknown>, ctx: ActionContext) => Promise<unknown>;

/** The handler table: one handler for every action of the catalog, each typed from its definition. */
export type HandlerTable = { readonly [A in ActionName]: ActionHandler<A> };

/** A failure an action reports on purpose: a code for machines, a message for the operator. */
export class ActionError extends Error {
  readonly code: string;
  readonly retryable: boolean;
  /** Structured facts for the operator and the audit (state, log lines, what was rolled back); never secrets. */
  readonly details: Record<string, unknown> | undefined;
  constructor(
    code: string,
    message: string,
    options: { retryable?: boolean; cause?: unknown; details?: Record<string, unknown> } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "ActionError";
    this.code = code;
    this.retryable = options.retryable ?? false;
    this.details = options.details;
  }
}
