/**
 * The provider-neutral conversation the agent holds with an LLM: turns, tool specs, tool calls and
 * their results. Each provider module maps these to and from its own wire format.
 */

/** A tool the LLM may call: a catalog action with its JSON Schema. */
export interface ToolSpec {
  readonly name: string;
  readonly description: string;
  readonly parameters: Readonly<Record<string, unknown>>;
}

/** A tool call as the LLM made it; `argsError` is set when its arguments were not valid JSON. */
export interface ToolCall {
  readonly id: string;
  readonly name: string;
  readonly args: unknown;
  readonly argsError?: string;
  /** The arguments exactly as sent, when the wire format carries them as a string. */
  readonly rawArgs?: string;
}

/** What the agent answers to one tool call: data (quoted) or a refusal. */
export interface ToolResult {
  readonly callId: string;
  readonly name: string;
  readonly content: string;
  readonly isError: boolean;
}

/** One turn of the conversation. */
export type Turn =
  | { readonly role: "user"; readonly text: string }
  | { readonly role: "assistant"; readonly text: string; readonly toolCalls: readonly ToolCall[] }
  | { readonly role: "tool"; readonly results: readonly ToolResult[] };

/** One request to the model. */
export interface ChatRequest {
  readonly system: string;
  readonly turns: readonly Turn[];
  readonly tools: readonly ToolSpec[];
  readonly signal?: AbortSignal;
}

/** The model's reply: text and any tool calls. */
export interface ChatReply {
  readonly text: string;
  readonly toolCalls: readonly ToolCall[];
}

/** An LLM behind one API; throws LlmError on failure. */
export interface ChatProvider {
  readonly name: string;
  chat(request: ChatRequest): Promise<ChatReply>;
}
