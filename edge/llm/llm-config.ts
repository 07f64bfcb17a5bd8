/**
 * Choosing the LLM from configuration (an env-like record): LLM_PROVIDER = anthropic | openai |
 * groq | workers-ai, LLM_API_KEY, LLM_BASE_URL, LLM_MODEL, LLM_TIMEOUT_MS, LLM_MAX_ROUNDS.
 */

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

function isProvider(value: string): value is LlmProviderName {
  return Object.hasOwn(defaults, value);
}

function intOf(
  raw: string | undefined,
  name: string,
  min: number,
  max: number,
  fallback: number,
  errors: string[],
): number {
  if (raw === undefined || raw.trim() === "") return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) {
    errors.push(`${name} must be a whole number from ${min} to ${max}`);
    return fallback;
  }
  return n;
}

/** Reads the LLM configuration; errors name the variable and what is wrong with it. */
export function readLlmConfig(env: Readonly<Record<string, string | undefined>>): LlmConfigResult {
  const name = env["LLM_PROVIDER"]?.trim().toLowerCase();
  if (name === undefined || name === "" || name === "none") return { ok: false, configured: false };
  const errors: string[] = [];
  if (!isProvider(name)) {
    return {
      ok: false,
      configured: true,
      errors: [`LLM_PROVIDER must be one of ${Object.keys(defaults).join(", ")}`],
    };
  }
  const apiKey = env["LLM_API_KEY"]?.trim();
  if (name !== "workers-ai" && (apiKey === undefined || apiKey === ""))
    errors.push(`LLM_API_KEY is required for ${name}`);
  const baseUrl = (env["LLM_BASE_URL"]?.trim() || defaults[name].baseUrl).replace(/\/+$/, "");
  if (name !== "workers-ai" && !/^https?:\/\/[^\s]+$/.test(baseUrl))
    errors.push("LLM_BASE_URL must be an http(s) URL");
  const model = env["LLM_MODEL"]?.trim() || defaults[name].model;
  const timeoutMs = intOf(env["LLM_TIMEOUT_MS"], "LLM_TIMEOUT_MS", 1000, 300_000, 30_000, errors);
  const maxRounds = intOf(env["LLM_MAX_ROUNDS"], "LLM_MAX_ROUNDS", 1, 10, 4, errors);
  if (errors.length > 0) return { ok: false, configured: true, errors };
  return {
    ok: true,
    config: { provider: name, ...(apiKey ? { apiKey } : {}), baseUrl, model, timeoutMs, maxRounds },
  };
}
