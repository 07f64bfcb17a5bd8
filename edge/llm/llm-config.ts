/**
 * Choosing the LLM from the controller's typed settings: LLM_PROVIDER = anthropic | openai | groq |
 * workers-ai, LLM_API_KEY, LLM_BASE_URL, LLM_MODEL, LLM_TIMEOUT_MS, LLM_MAX_ROUNDS (each already
 * checked for its form by the one parse, protocol/settings/).
 */
import type { EdgeSettings } from "../../protocol/settings/edge-settings.ts";

/** The providers voxops speaks to. */
export type LlmProviderName = "anthropic" | "openai" | "groq" | "workers-ai";

/** A validated LLM configuration. */
export interface LlmConfig {
  readonly provider: LlmProviderName;
  /** Absent for workers-ai, which uses the AI binding. */
  readonly apiKey?: string;
  readonly baseUrl: string;
  readonly model: string;
  readonly timeoutMs: number;
  readonly maxRounds: number;
}

/** The result of reading the configuration: none given, valid, or given with mistakes. */
export type LlmConfigResult =
  | { readonly ok: true; readonly config: LlmConfig }
  | { readonly ok: false; readonly configured: false }
  | { readonly ok: false; readonly configured: true; readonly errors: readonly string[] };

const defaults: Record<LlmProviderName, { baseUrl: string; model: string }> = {
  anthropic: { baseUrl: "https://api.anthropic.com", model: "claude-sonnet-4-5" },
  openai: { baseUrl: "https://api.openai.com/v1", model: "gpt-4.1-mini" },
  groq: { baseUrl: "https://api.groq.com/openai/v1", model: "llama-3.3-70b-versatile" },
  "workers-ai": { baseUrl: "", model: "@cf/meta/llama-3.3-70b-instruct-fp8-fast" },
};

/** The settings the LLM is chosen from. */
export type LlmSettings = Pick<
  EdgeSettings,
  "LLM_PROVIDER" | "LLM_API_KEY" | "LLM_BASE_URL" | "LLM_MODEL" | "LLM_TIMEOUT_MS" | "LLM_MAX_ROUNDS"
>;

/** Reads the LLM configuration; errors name the setting that is missing. */
export function readLlmConfig(settings: LlmSettings): LlmConfigResult {
  const name = settings.LLM_PROVIDER;
  if (name === "none") return { ok: false, configured: false };
  const apiKey = settings.LLM_API_KEY;
  if (name !== "workers-ai" && apiKey === undefined)
    return { ok: false, configured: true, errors: [`LLM_API_KEY is required for ${name}`] };
  return {
    ok: true,
    config: {
      provider: name,
      ...(apiKey ? { apiKey } : {}),
      baseUrl: settings.LLM_BASE_URL ?? defaults[name].baseUrl,
      model: settings.LLM_MODEL ?? defaults[name].model,
      timeoutMs: settings.LLM_TIMEOUT_MS,
      maxRounds: settings.LLM_MAX_ROUNDS,
    },
  };
}
