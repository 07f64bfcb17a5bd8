/**
 * The form of one action: everything the controller, the sidecar, the LLM, the HTTP API and the
 * help texts need to know about it, in one typed definition (`defineAction`), one file per action
 * under `protocol/actions/`.
 */
import type * as z from "zod";

/** How much harm an action can do: read changes nothing, destructive can take a VM away. */
export type Risk = "read" | "change" | "destructive";

/** The operator's language. */
export type Lang = "ru" | "en";

/** A text in both languages. */
export interface Words {
  readonly en: string;
  readonly ru: string;
}

/** What the LLM may do with an action: run it at once (reads), only propose it (confirmed first), or never offer it. */
export type LlmPolicy = "run" | "propose" | "never";

/** How an action is reached over HTTP: its `/agent/...` route (`:name` parts come from the arguments). */
export interface HttpExposure {
  readonly method: "GET" | "POST";
  readonly path: `/agent/${string}`;
}

/**
 * Whether MCP clients are offered an action as a tool: "tool" (the default) or "internal", run only by
 * voxops itself (a peer probe) or as a step of another flow with its own confirmation (code changes,
 * created services and scripts, reached through the `ask` tool).
 */
export type McpExposure = "tool" | "internal";

/** Where a rendered text is about: the VM and the operator's language. */
export interface RenderContext {
  readonly vm: string;
  readonly lang: Lang;
}

/** What a read-back names: "on vm1 (main)" / "на vm1 (main)", and the target alone ("vm1 (main)", "all VMs"). */
export interface ReadBackContext {
  readonly lang: Lang;
  readonly on: string;
  readonly target: string;
}

/** A failure as the controller received it, with its details already checked against the action's schema. */
export interface FailureView<D> {
  readonly code: string;
  readonly message: string;
  readonly details: D | undefined;
}

/** One action's typed definition. */
export interface ActionDefinition<
  N extends string = string,
  A extends z.ZodType = z.ZodType,
  O extends z.ZodType = z.ZodType,
  D extends z.ZodType = z.ZodType,
> {
  readonly name: N;
  /** What it does, for help, the LLM's tool list and the API document. */
  readonly summary: Words;
  /** What it is called in a sentence: "restart" / "перезапуск". */
  readonly noun: Words;
  readonly args: A;
  /** What the sidecar's handler returns. */
  readonly output: O;
  /** What a failure may carry besides its message (checked and clipped on both ends). */
  readonly failureDetails?: D;
  readonly risk: Risk;
  /** True when a person must confirm it before it runs. */
  readonly confirm: boolean;
  /** How long the controller waits for the result when the caller gives no deadline. */
  readonly timeoutMs?: number;
  readonly llm: LlmPolicy;
  /** Its `/agent/...` route, or null when it is reached only through the desk (`/agent/ask`, `/agent/commands`). */
  readonly http: HttpExposure | null;
  /** Whether MCP clients see it as a tool; absent means "tool". */
  readonly mcp?: McpExposure;
  /** The question put before it runs, naming the target: "Restart api on vm1?". */
  readBack(args: z.output<A>, where: ReadBackContext): string;
  /** Its output in whole sentences in the operator's language. */
  render(output: z.output<O>, where: RenderContext): string;
  /** What it has to say about its own failures (undefined: the controller's general failure text). */
  renderFailure?(failure: FailureView<z.output<D>>, where: RenderContext): string | undefined;
}

/** Declares an action; the identity function that keeps every part's type tied to its schemas. */
export function defineAction<N extends string, A extends z.ZodType, O extends z.ZodType, D extends z.ZodType>(
  definition: ActionDefinition<N, A, O, D>,
): ActionDefinition<N, A, O, D> {
  return definition;
}

/** Picks the Russian or English text. */
export function say(lang: Lang, ru: string, en: string): string {
  return lang === "ru" ? ru : en;
}
