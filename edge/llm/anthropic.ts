/**
 * Anthropic's Messages API with tool use: POST {base}/v1/messages with x-api-key and
 * anthropic-version; tools as {name, description, input_schema}; the answer's tool_use blocks
 * become tool calls, and tool results go back as tool_result blocks in a user turn.
 */
import * as z from "zod";
import type { ChatProvider, ChatReply, ChatRequest, Turn } from "./chat.ts";
import { type HttpOptions, postJson } from "./http.ts";
import { LlmError } from "./llm-error.ts";

/** Settings of the Anthropic provider. */
export interface AnthropicOptions extends Omit<HttpOptions, "provider"> {
  readonly apiKey: string;
  readonly baseUrl: string;
  readonly model: string;
  readonly maxTokens?: number;
}

/** The API version this module speaks. */
export const anthropicVersion = "2023-06-01";

const replySchema = z.object({
  type: z.literal("message"),
  content: z.array(
    z.union([
      z.object({ type: z.literal("text"), text: z.string() }),
      z.object({ type: z.literal("tool_use"), id: z.string(), name: z.string(), input: z.unknown() }),
      z.object({ type: z.string() }),
    ]),
  ),
  stop_reason: z.string().nullable().optional(),
});

function toMessages(turns: readonly Turn[]): unknown[] {
  return turns.map((turn) => {
    if (turn.role === "user") return { role: "user", content: [{ type: "text", text: turn.text }] };
    if (turn.role === "assistant") {
      const content: unknown[] = turn.text.length > 0 ? [{ type: "text", text: turn.text }] : [];
      for (const call of turn.toolCalls)
        content.push({ type: "tool_use", id: call.id, name: call.name, input: call.args ?? {} });
      return { role: "assistant", content };
    }
    return {
      role: "user",
      content: turn.results.map((r) => ({
        type: "tool_result",
        tool_use_id: r.callId,
        content: r.content,
        ...(r.isError ? { is_error: true } : {}),
      })),
    };
  });
}

/** Creates a chat provider on Anthropic's Messages API. */
export function createAnthropicProvider(options: AnthropicOptions): ChatProvider {
  const provider = "anthropic";
  const url = `${options.baseUrl.replace(/\/+$/, "")}/v1/messages`;
  return {
    name: provider,
    async chat(request: ChatRequest): Promise<ChatReply> {
      const body = {
        model: options.model,
        max_tokens: options.maxTokens ?? 2048,
        system: request.system,
        messages: toMessages(request.turns),
        tools: request.tools.map((t) => ({
          name: t.name,
          description: t.description,
          input_schema: t.parameters,
        })),
      };
      const raw = await postJson(
        url,
        { "x-api-key": options.apiKey, "anthropic-version": anthropicVersion },
        body,
        { ...options, provider },
        request.signal,
      );
      const parsed = replySchema.safeParse(raw);
      if (!parsed.success)
        throw new LlmError("bad-response", `${provider}: the answer is not a Messages API message`, {
          provider,
          retryable: false,
        });
      let text = "";
      const toolCalls: ChatReply["toolCalls"][number][] = [];
      for (const block of parsed.data.content) {
        if (block.type === "text" && "text" in block) text += block.text;
        else if (block.type === "tool_use" && "id" in block)
          toolCalls.push({ id: block.id, name: block.name, args: block.input });
      }
      return { text, toolCalls };
    },
  };
}
