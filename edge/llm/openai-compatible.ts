/**
 * OpenAI-compatible chat completions with tool calls: POST {base}/chat/completions with a Bearer
 * key; tools as {type: "function", function: {name, description, parameters}}; the answer's
 * tool_calls (arguments as a JSON string) become tool calls. Serves OpenAI, Groq
 * (https://api.groq.com/openai/v1) and any compatible endpoint.
 */
import * as z from "zod";
import type { ChatProvider, ChatReply, ChatRequest, ToolCall, Turn } from "./chat.ts";
import { type HttpOptions, postJson } from "./http.ts";
import { LlmError } from "./llm-error.ts";

/** Settings of an OpenAI-compatible provider. */
export interface OpenAiCompatibleOptions extends Omit<HttpOptions, "provider"> {
  /** The name used in errors: "openai", "groq", … */
  readonly name: string;
  readonly apiKey: string;
  readonly baseUrl: string;
  readonly model: string;
  readonly maxTokens?: number;
}

const replySchema = z.object({
  choices: z
    .array(
      z.object({
        message: z.object({
          content: z.string().nullable().optional(),
          tool_calls: z
            .array(
              z.object({
                id: z.string(),
                type: z.literal("function").optional(),
                function: z.object({ name: z.string(), arguments: z.string() }),
              }),
            )
            .nullable()
            .optional(),
        }),
      }),
    )
    .min(1),
});

/** Maps neutral turns to chat-completion messages (shared with the Workers AI binding). */
export function toChatMessages(system: string, turns: readonly Turn[]): unknown[] {
  const messages: unknown[] = [{ role: "system", content: system }];
  for (const turn of turns) {
    if (turn.role === "user") messages.push({ role: "user", content: turn.text });
    else if (turn.role === "assistant")
      messages.push({
        role: "assistant",
        content: turn.text.length > 0 ? turn.text : null,
        ...(turn.toolCalls.length > 0
          ? {
              tool_calls: turn.toolCalls.map((c) => ({
                id: c.id,
                type: "function",
                function: { name: c.name, arguments: c.rawArgs ?? JSON.stringify(c.args ?? {}) },
              })),
            }
          : {}),
      });
    else
      for (const r of turn.results)
        messages.push({ role: "tool", tool_call_id: r.callId, content: r.content });
  }
  return messages;
}

/** Reads a function call's JSON-string arguments without repairing them. */
export function parseArguments(id: string, name: string, raw: string): ToolCall {
  try {
    return { id, name, args: JSON.parse(raw) as unknown, rawArgs: raw };
  } catch (error) {
    return { id, name, args: undefined, argsError: (error as Error).message, rawArgs: raw };
  }
}

/** Creates a chat provider on an OpenAI-compatible endpoint. */
export function createOpenAiCompatibleProvider(options: OpenAiCompatibleOptions): ChatProvider {
  const provider = options.name;
  const url = `${options.baseUrl.replace(/\/+$/, "")}/chat/completions`;
  return {
    name: provider,
    async chat(request: ChatRequest): Promise<ChatReply> {
      const body = {
        model: options.model,
        max_tokens: options.maxTokens ?? 2048,
        messages: toChatMessages(request.system, request.turns),
        tools: request.tools.map((t) => ({
          type: "function",
          function: { name: t.name, description: t.description, parameters: t.parameters },
        })),
        tool_choice: "auto",
      };
      const raw = await postJson(
        url,
        { authorization: `Bearer ${options.apiKey}` },
        body,
        { ...options, provider },
        request.signal,
      );
      const parsed = replySchema.safeParse(raw);
      if (!parsed.success)
        throw new LlmError("bad-response", `${provider}: the answer is not a chat completion`, {
          provider,
          retryable: false,
        });
      const message = parsed.data.choices[0]?.message;
      return {
        text: message?.content ?? "",
        toolCalls: (message?.tool_calls ?? []).map((c) =>
          parseArguments(c.id, c.function.name, c.function.arguments),
        ),
      };
    },
  };
}
