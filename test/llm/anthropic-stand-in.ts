/**
 * A stand-in for Anthropic's Messages API on 127.0.0.1. It checks each request the way the real API
 * would (POST /v1/messages, x-api-key, anthropic-version, model, max_tokens, alternating messages,
 * tool_result ids that answer the previous turn's tool_use ids, tools with input_schema) and
 * answers with scripted messages in the real response format.
 */
import * as z from "zod";
import type { ChatProvider } from "../../edge/llm/chat.ts";
import { createChatProvider } from "../../edge/llm/create-llm.ts";
import { readLlmConfig } from "../../edge/llm/llm-config.ts";
import { edgeSettings } from "../../protocol/settings/edge-settings.ts";
import { parseSettings } from "../../protocol/settings/parse-settings.ts";
import { type Scripted, type StandIn, startStandIn } from "./stand-in-server.ts";

const block = z.union([
  z.object({ type: z.literal("text"), text: z.string() }).strict(),
  z
    .object({
      type: z.literal("tool_use"),
      id: z.string().min(1),
      name: z.string(),
      input: z.record(z.string(), z.unknown()),
    })
    .strict(),
  z
    .object({
      type: z.literal("tool_result"),
      tool_use_id: z.string().min(1),
      content: z.string(),
      is_error: z.boolean().optional(),
    })
    .strict(),
]);

const requestSchema = z
  .object({
    model: z.string().min(1),
    max_tokens: z.number().int().positive(),
    system: z.string().optional(),
    messages: z
      .array(
        z
          .object({
            role: z.enum(["user", "assistant"]),
            content: z.union([z.string(), z.array(block).min(1)]),
          })
          .strict(),
      )
      .min(1),
    tools: z
      .array(
        z
          .object({
            name: z.string().regex(/^[a-zA-Z0-9_-]{1,64}$/),
            description: z.string().min(1),
            input_schema: z.object({ type: z.literal("object") }).passthrough(),
          })
          .strict(),
      )
      .optional(),
  })
  .strict();

/** Starts the stand-in; requests must carry `apiKey`. */
export function startAnthropicStandIn(apiKey: string): Promise<StandIn> {
  return startStandIn(
    (req) => {
      const problems: string[] = [];
      if (req.method !== "POST") problems.push(`method ${req.method}`);
      if (req.path !== "/v1/messages") problems.push(`path ${req.path}`);
      if (req.headers["x-api-key"] !== apiKey) problems.push("x-api-key missing or wrong");
      if (req.headers["anthropic-version"] !== "2023-06-01") problems.push("anthropic-version missing");
      if (!String(req.headers["content-type"]).startsWith("application/json")) problems.push("content-type");
      if (req.headers.authorization !== undefined) problems.push("unexpected authorization header");
      const parsed = requestSchema.safeParse(req.body);
      if (!parsed.success) {
        problems.push(...parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`));
        return problems;
      }
      const { messages } = parsed.data;
      messages.forEach((m, i) => {
        if (m.role !== (i % 2 === 0 ? "user" : "assistant"))
          problems.push(`messages.${i}: roles must alternate from user`);
        if (typeof m.content === "string") return;
        const results = m.content.filter((b) => b.type === "tool_result");
        if (results.length === 0) return;
        const previous = messages[i - 1];
        const asked = new Set(
          typeof previous?.content === "string"
            ? []
            : (previous?.content ?? []).flatMap((b) => (b.type === "tool_use" ? [b.id] : [])),
        );
        for (const r of results)
          if (r.type === "tool_result" && !asked.has(r.tool_use_id))
            problems.push(`messages.${i}: tool_result ${r.tool_use_id} answers no tool_use`);
      });
      return problems;
    },
    (message) => ({ type: "error", error: { type: "invalid_request_error", message } }),
  );
}

/** A Messages API reply with text and tool_use blocks. */
export function anthropicReply(
  text: string,
  toolUses: readonly { id: string; name: string; input: unknown }[] = [],
): Scripted {
  const content: unknown[] = text ? [{ type: "text", text }] : [];
  for (const t of toolUses) content.push({ type: "tool_use", ...t });
  return {
    json: {
      id: `msg_${Math.random().toString(36).slice(2)}`,
      type: "message",
      role: "assistant",
      model: "claude-stand-in",
      content,
      stop_reason: toolUses.length > 0 ? "tool_use" : "end_turn",
      stop_sequence: null,
      usage: { input_tokens: 10, output_tokens: 10 },
    },
  };
}

/** Anthropic's 429 with retry-after. */
export function anthropicRateLimited(retryAfterSeconds: number): Scripted {
  return {
    status: 429,
    headers: { "retry-after": String(retryAfterSeconds) },
    json: {
      type: "error",
      error: { type: "rate_limit_error", message: "Number of requests has exceeded your rate limit" },
    },
  };
}

/** The messages of a received Messages API request. */
export function messagesOf(body: unknown): { role: string; content: unknown }[] {
  return (body as { messages: { role: string; content: unknown }[] }).messages;
}

/** The real Anthropic client pointed at a stand-in, with `sleep` hearing each backoff instead of waiting. */
export function anthropicChat(
  url: string,
  key: string,
  options: { timeoutMs?: number; sleep?: (ms: number) => Promise<void> } = {},
): ChatProvider {
  const config = readLlmConfig(
    parseSettings(edgeSettings, {
      LLM_PROVIDER: "anthropic",
      LLM_API_KEY: key,
      LLM_BASE_URL: url,
      LLM_MODEL: "claude-test",
      LLM_TIMEOUT_MS: String(options.timeoutMs ?? 5_000),
    }).values,
  );
  if (!config.ok) throw new Error("the stand-in's LLM settings do not parse");
  return createChatProvider(config.config, { sleep: options.sleep ?? (async () => {}) });
}
