/**
 * A stand-in for an OpenAI-compatible chat completions endpoint (OpenAI, Groq) on 127.0.0.1. It
 * checks each request like the real API (POST {prefix}/chat/completions, Bearer key, messages with
 * a system message first, tool messages that answer the previous assistant's tool_calls, arguments
 * as JSON strings, function tools with object parameters) and answers in the real format.
 */
import * as z from "zod";
import { type Scripted, type StandIn, startStandIn } from "./stand-in-server.ts";

const toolCall = z
  .object({
    id: z.string().min(1),
    type: z.literal("function"),
    function: z.object({ name: z.string(), arguments: z.string() }).strict(),
  })
  .strict();

const message = z.union([
  z.object({ role: z.literal("system"), content: z.string() }).strict(),
  z.object({ role: z.literal("user"), content: z.string() }).strict(),
  z
    .object({
      role: z.literal("assistant"),
      content: z.string().nullable(),
      tool_calls: z.array(toolCall).optional(),
    })
    .strict(),
  z.object({ role: z.literal("tool"), tool_call_id: z.string().min(1), content: z.string() }).strict(),
]);

const requestSchema = z
  .object({
    model: z.string().min(1),
    max_tokens: z.number().int().positive().optional(),
    messages: z.array(message).min(2),
    tools: z
      .array(
        z
          .object({
            type: z.literal("function"),
            function: z
              .object({
                name: z.string().regex(/^[a-zA-Z0-9_-]{1,64}$/),
                description: z.string(),
                parameters: z.object({ type: z.literal("object") }).passthrough(),
              })
              .strict(),
          })
          .strict(),
      )
      .optional(),
    tool_choice: z.literal("auto").optional(),
  })
  .strict();

/** Starts the stand-in; `prefix` is "/v1" for OpenAI, "/openai/v1" for Groq. */
export function startOpenAiStandIn(apiKey: string, prefix: string): Promise<StandIn> {
  return startStandIn(
    (req) => {
      const problems: string[] = [];
      if (req.method !== "POST") problems.push(`method ${req.method}`);
      if (req.path !== `${prefix}/chat/completions`) problems.push(`path ${req.path}`);
      if (req.headers.authorization !== `Bearer ${apiKey}`) problems.push("authorization missing or wrong");
      const parsed = requestSchema.safeParse(req.body);
      if (!parsed.success) {
        problems.push(...parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`));
        return problems;
      }
      const { messages } = parsed.data;
      if (messages[0]?.role !== "system") problems.push("messages.0 must be the system message");
      let open = new Set<string>();
      messages.forEach((m, i) => {
        if (m.role === "assistant") open = new Set((m.tool_calls ?? []).map((c) => c.id));
        else if (m.role === "tool") {
          if (!open.has(m.tool_call_id)) problems.push(`messages.${i}: tool message answers no tool call`);
          open.delete(m.tool_call_id);
        } else if (open.size > 0) problems.push(`messages.${i}: tool calls left unanswered`);
      });
      return problems;
    },
    (msg) => ({ error: { message: msg, type: "invalid_request_error", code: null } }),
  );
}

/** A chat completion with text and tool calls (arguments given as a JSON string, or raw). */
export function openAiReply(
  text: string | null,
  calls: readonly { id: string; name: string; arguments: unknown; raw?: boolean }[] = [],
): Scripted {
  return {
    json: {
      id: `chatcmpl-${Math.random().toString(36).slice(2)}`,
      object: "chat.completion",
      created: 1_700_000_000,
      model: "stand-in",
      choices: [
        {
          index: 0,
          message: {
            role: "assistant",
            content: text,
            ...(calls.length > 0
              ? {
                  tool_calls: calls.map((c) => ({
                    id: c.id,
                    type: "function",
                    function: {
                      name: c.name,
                      arguments: c.raw ? String(c.arguments) : JSON.stringify(c.arguments),
                    },
                  })),
                }
              : {}),
          },
          finish_reason: calls.length > 0 ? "tool_calls" : "stop",
        },
      ],
      usage: { prompt_tokens: 10, completion_tokens: 10, total_tokens: 20 },
    },
  };
}

/** A 429 with OpenAI-style headers. */
export function openAiRateLimited(retryAfterSeconds: number): Scripted {
  return {
    status: 429,
    headers: { "retry-after": String(retryAfterSeconds) },
    json: { error: { message: "Rate limit reached", type: "requests", code: "rate_limit_exceeded" } },
  };
}
