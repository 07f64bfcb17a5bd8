/** Builds the configured chat provider: Anthropic, OpenAI or Groq over fetch, or the Workers AI binding. */
import { createAnthropicProvider } from "./anthropic.ts";
import type { ChatProvider } from "./chat.ts";
import { sleep } from "./http.ts";
import type { LlmConfig } from "./llm-config.ts";
import { LlmError } from "./llm-error.ts";
import { createOpenAiCompatibleProvider } from "./openai-compatible.ts";
import { createWorkersAiProvider, type WorkersAiBinding } from "./workers-ai.ts";

/** What the host supplies: fetch (Node and Workers both have it), the AI binding on the edge, a sleep for tests. */
export interface LlmHost {
  readonly fetch?: typeof fetch;
  readonly ai?: WorkersAiBinding;
  readonly sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** The longest retry-after honoured once after a 429 (default 5 s). */
  readonly maxRetryAfterMs?: number;
}

/** Creates the chat provider a configuration names; throws LlmError("not-configured") when the host lacks what it needs. */
export function createChatProvider(config: LlmConfig, host: LlmHost = {}): ChatProvider {
  const http = {
    fetch: host.fetch ?? globalThis.fetch.bind(globalThis),
    timeoutMs: config.timeoutMs,
    maxRetryAfterMs: host.maxRetryAfterMs ?? 5_000,
    sleep: host.sleep ?? sleep,
  };
  const apiKey = config.apiKey ?? "";
  switch (config.provider) {
    case "anthropic":
      return createAnthropicProvider({ ...http, apiKey, baseUrl: config.baseUrl, model: config.model });
    case "openai":
    case "groq":
      return createOpenAiCompatibleProvider({
        ...http,
        name: config.provider,
        apiKey,
        baseUrl: config.baseUrl,
        model: config.model,
      });
    case "workers-ai":
      if (host.ai === undefined)
        throw new LlmError(
          "not-configured",
          "LLM_PROVIDER=workers-ai needs the AI binding (only on the edge)",
          {
            provider: "workers-ai",
            retryable: false,
          },
        );
      return createWorkersAiProvider({ binding: host.ai, model: config.model, timeoutMs: config.timeoutMs });
  }
}
