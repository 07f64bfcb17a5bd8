/**
 * The Workers AI binding on the edge (env.AI): `run(model, {messages, tools})`, no HTTP. Defined
 * here as a minimal interface so this module imports nothing from Cloudflare.
 */
import type { ChatProvider, ChatReply, ChatRequest, ToolCall } from "./chat.ts";
import { LlmError } from "./llm-error.ts";
import { parseArguments, toChatMessages } from "./openai-compatible.ts";

/** The part of the Workers AI binding this module uses. */
export interface WorkersAiBinding {
  run(model: string, inputs: Record<string, unknown>, options?: Record<string, unknown>): Promise<unknown>;
}

/** Settings of the Workers AI provider. */
export interface WorkersAiOptions {
  readonly binding: WorkersAiBinding;
  readonly model: string;
  readonly timeoutMs: number;
}

function toolCallsOf(value: unknown): ToolCall[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((c, i): ToolCall[] => {
    if (typeof c !== "object" || c === null) return [];
    const call = c as {
      id?: unknown;
      name?: unknown;
      arguments?: unknown;
      function?: { name?: unknown; arguments?: unknown };
    };
    const name = typeof call.name === "string" ? call.name : call.function?.name;
    const args = call.arguments ?? call.function?.arguments;
    if (typeof name !== "string") return [];
    const id = typeof call.id === "string" ? call.id : `call_${i}`;
    return [typeof args === "string" ? parseArguments(id, name, args) : { id, name, args }];
  });
}

/** Creates a chat provider on the Workers AI binding. */
export function createWorkersAiProvider(options: WorkersAiOptions): ChatProvider {
  const provider = "workers-ai";
  return {
    name: provider,
    async chat(request: ChatRequest): Promise<ChatReply> {
      const inputs = {
        messages: toChatMessages(request.system, request.turns),
        tools: request.tools.map((t) => ({
          type: "function",
          function: { name: t.name, description: t.description, parameters: t.parameters },
        })),
      };
      let timer: ReturnType<typeof setTimeout> | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () =>
            reject(
              new LlmError("timeout", `${provider} did not answer within ${options.timeoutMs} ms`, {
                provider,
                retryable: true,
              }),
            ),
          options.timeoutMs,
        );
      });
      let raw: unknown;
      try {
        raw = await Promise.race([options.binding.run(options.model, inputs), timeout]);
      } catch (error) {
        if (error instanceof LlmError) throw error;
        throw new LlmError("http", `${provider} failed: ${(error as Error).message}`, {
          provider,
          retryable: true,
          cause: error,
        });
      } finally {
        if (timer !== undefined) clearTimeout(timer);
      }
      if (typeof raw !== "object" || raw === null)
        throw new LlmError("bad-response", `${provider}: the answer is not an object`, {
          provider,
          retryable: false,
        });
      const { response, tool_calls } = raw as { response?: unknown; tool_calls?: unknown };
      return { text: typeof response === "string" ? response : "", toolCalls: toolCallsOf(tool_calls) };
    },
  };
}
