/**
 * The one bounded tool loop every LLM conversation in voxops runs (the agent's questions, the built-in
 * code engine): ask the model, answer each of its tool calls through the caller's handler, and stop
 * when the model answers in words, a handler ends the conversation, a call fails, or the step budget
 * is spent. Data read from the VMs always goes back quoted and capped; wire formats stay in the providers.
 */
import type { ChatProvider, ToolCall, ToolResult, ToolSpec, Turn } from "./chat.ts";
import { LlmError } from "./llm-error.ts";
import { quoteData } from "./quote.ts";

/** How the caller answers one tool call. */
export type CallAnswer<T> =
  /** Text read from a VM: given to the model as quoted data, labelled with its source, capped. */
  | { readonly data: string; readonly source: string }
  /** The call is refused; the model is told why. */
  | { readonly refused: string }
  /** A note of ours for the model (not data from a VM). */
  | { readonly note: string }
  /** The conversation ends here with this value. */
  | { readonly stop: T };

/** One conversation. */
export interface ToolLoopOptions<T> {
  readonly provider: ChatProvider;
  readonly system: string;
  /** The first user turn. */
  readonly prompt: string;
  readonly tools: readonly ToolSpec[];
  /** Model calls at most. */
  readonly maxSteps: number;
  /** Characters of one tool answer given back to the model (data beyond it is cut and says so). */
  readonly maxToolOutput: number;
  readonly signal?: AbortSignal | undefined;
  /** Hears the number of each model call before it is made (1-based). */
  readonly onStep?: ((step: number) => void) | undefined;
  /** Answers one tool call; a thrown Error is told to the model as a failed call. */
  handle(call: ToolCall, step: number): Promise<CallAnswer<T>>;
}

/** How the conversation ended. */
export type ToolLoopEnd<T> =
  /** A handler ended it with a value. */
  | { readonly kind: "stopped"; readonly value: T; readonly steps: number }
  /** The model answered without calling a tool. */
  | { readonly kind: "answered"; readonly text: string; readonly steps: number }
  /** The step budget ran out; `text` is the model's last words. */
  | { readonly kind: "exhausted"; readonly text: string; readonly steps: number }
  /** A model call failed. */
  | { readonly kind: "failed"; readonly error: LlmError; readonly steps: number };

/** The longest refusal or failure told to the model. */
const maxNote = 500;

/** Runs the loop to its end. */
export async function runToolLoop<T>(options: ToolLoopOptions<T>): Promise<ToolLoopEnd<T>> {
  const turns: Turn[] = [{ role: "user", text: options.prompt }];
  let text = "";
  for (let step = 1; step <= options.maxSteps; step++) {
    options.onStep?.(step);
    let reply: Awaited<ReturnType<ChatProvider["chat"]>>;
    try {
      reply = await options.provider.chat({
        system: options.system,
        turns,
        tools: options.tools,
        ...(options.signal ? { signal: options.signal } : {}),
      });
    } catch (error) {
      return { kind: "failed", error: asLlmError(error, options.provider.name), steps: step };
    }
    text = reply.text;
    turns.push({ role: "assistant", text: reply.text, toolCalls: reply.toolCalls });
    if (reply.toolCalls.length === 0) return { kind: "answered", text, steps: step };
    const results: ToolResult[] = [];
    for (const call of reply.toolCalls) {
      let answer: CallAnswer<T>;
      try {
        answer = await options.handle(call, step);
      } catch (error) {
        results.push(result(call, `failed: ${(error as Error).message}`.slice(0, maxNote), true));
        continue;
      }
      if ("stop" in answer) return { kind: "stopped", value: answer.stop, steps: step };
      if ("data" in answer)
        results.push(result(call, quoteData(answer.source, answer.data, options.maxToolOutput), false));
      else if ("refused" in answer)
        results.push(result(call, `refused: ${answer.refused}`.slice(0, maxNote), true));
      else results.push(result(call, answer.note.slice(0, maxNote), false));
    }
    turns.push({ role: "tool", results });
  }
  return { kind: "exhausted", text, steps: options.maxSteps };
}

function result(call: ToolCall, content: string, isError: boolean): ToolResult {
  return { callId: call.id, name: call.name, content, isError };
}

function asLlmError(error: unknown, provider: string): LlmError {
  return error instanceof LlmError
    ? error
    : new LlmError("bad-response", String(error), { provider, retryable: false });
}
