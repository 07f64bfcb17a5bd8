/** Chooses the speech providers from the controller's typed settings (STT_PROVIDER, STT_BASE_URL, TTS_PROVIDER, ...). */
import type { EdgeSettings } from "../../protocol/settings/edge-settings.ts";
import { createOpenAiSynthesizer } from "./openai-synthesizer.ts";
import { createOpenAiTranscriber } from "./openai-transcriber.ts";
import type { FetchFunction, SpeechToText, TextToSpeech } from "./speech.ts";
import { SpeechError } from "./speech-error.ts";
import { createWorkersAiSynthesizer } from "./workers-ai-synthesizer.ts";
import { createWorkersAiTranscriber, type WorkersAiBinding } from "./workers-ai-transcriber.ts";

/** The settings speech is chosen from (each already checked for its form by the one parse). */
export type SpeechSettings = Pick<
  EdgeSettings,
  | "STT_PROVIDER"
  | "STT_BASE_URL"
  | "STT_API_KEY"
  | "GROQ_API_KEY"
  | "STT_MODEL"
  | "STT_TIMEOUT_MS"
  | "TTS_PROVIDER"
  | "TTS_BASE_URL"
  | "TTS_API_KEY"
  | "TTS_MODEL"
  | "TTS_VOICE"
  | "TTS_VOICE_RU"
  | "TTS_VOICE_EN"
  | "TTS_LANGS"
  | "TTS_TIMEOUT_MS"
>;

/** What the host can hand over besides settings. */
export interface SpeechDeps {
  /** The Workers AI binding (`env.AI`), for the "workers-ai" providers. */
  readonly ai?: WorkersAiBinding;
  readonly fetch?: FetchFunction;
}

/** The configured providers; a missing one means the feature is off. */
export interface SpeechProviders {
  readonly stt?: SpeechToText;
  readonly tts?: TextToSpeech;
}

const groqBase = "https://api.groq.com/openai/v1";
const openAiBase = "https://api.openai.com/v1";

/**
 * Builds the providers. STT_PROVIDER: none | workers-ai | groq | openai (any OpenAI-compatible
 * endpoint with STT_BASE_URL); STT_API_KEY, STT_MODEL, STT_TIMEOUT_MS. TTS_PROVIDER: none |
 * workers-ai | openai; TTS_BASE_URL, TTS_API_KEY, TTS_MODEL, TTS_VOICE, TTS_VOICE_RU, TTS_VOICE_EN,
 * TTS_LANGS (workers-ai), TTS_TIMEOUT_MS. Throws a SpeechError naming the bad setting (never its value
 * when it is a key).
 */
export function createSpeechFromConfig(settings: SpeechSettings, deps: SpeechDeps = {}): SpeechProviders {
  const stt = createTranscriber(settings, deps);
  const tts = createSynthesizer(settings, deps);
  return { ...(stt ? { stt } : {}), ...(tts ? { tts } : {}) };
}

function createTranscriber(settings: SpeechSettings, deps: SpeechDeps): SpeechToText | undefined {
  const provider = settings.STT_PROVIDER;
  const timeoutMs = settings.STT_TIMEOUT_MS;
  const fetchOption = deps.fetch ? { fetch: deps.fetch } : {};
  switch (provider) {
    case "none":
      return undefined;
    case "workers-ai":
      return createWorkersAiTranscriber({
        ai: requireBinding(deps, "STT_PROVIDER"),
        ...optional("model", settings.STT_MODEL),
        timeoutMs,
      });
    case "groq":
    case "openai": {
      const baseUrl = settings.STT_BASE_URL ?? (provider === "groq" ? groqBase : openAiBase);
      const apiKey = settings.STT_API_KEY ?? (provider === "groq" ? settings.GROQ_API_KEY : undefined);
      if (!apiKey && (baseUrl === groqBase || baseUrl === openAiBase)) {
        throw configError(`STT_PROVIDER=${provider} needs STT_API_KEY`);
      }
      return createOpenAiTranscriber({
        name: `${provider}-stt`,
        baseUrl,
        ...optional("apiKey", apiKey),
        model: settings.STT_MODEL ?? (provider === "groq" ? "whisper-large-v3-turbo" : "whisper-1"),
        timeoutMs,
        ...fetchOption,
      });
    }
  }
}

function createSynthesizer(settings: SpeechSettings, deps: SpeechDeps): TextToSpeech | undefined {
  const provider = settings.TTS_PROVIDER;
  const timeoutMs = settings.TTS_TIMEOUT_MS;
  switch (provider) {
    case "none":
      return undefined;
    case "workers-ai": {
      const langs = settings.TTS_LANGS.length > 0 ? settings.TTS_LANGS : undefined;
      return createWorkersAiSynthesizer({
        ai: requireBinding(deps, "TTS_PROVIDER"),
        ...optional("model", settings.TTS_MODEL),
        ...optional("langs", langs),
        timeoutMs,
      });
    }
    case "openai": {
      const baseUrl = settings.TTS_BASE_URL ?? openAiBase;
      const apiKey = settings.TTS_API_KEY;
      if (!apiKey && baseUrl === openAiBase) throw configError("TTS_PROVIDER=openai needs TTS_API_KEY");
      const voice = settings.TTS_VOICE;
      const ru = settings.TTS_VOICE_RU ?? voice;
      const en = settings.TTS_VOICE_EN ?? voice;
      return createOpenAiSynthesizer({
        name: "openai-tts",
        baseUrl,
        ...optional("apiKey", apiKey),
        model: settings.TTS_MODEL ?? "gpt-4o-mini-tts",
        voices: { ...optional("ru", ru), ...optional("en", en) },
        timeoutMs,
        ...(deps.fetch ? { fetch: deps.fetch } : {}),
      });
    }
  }
}

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

function requireBinding(deps: SpeechDeps, key: string): WorkersAiBinding {
  if (!deps.ai) throw configError(`${key}=workers-ai needs the Workers AI binding (env.AI)`);
  return deps.ai;
}

function configError(message: string): SpeechError {
  return new SpeechError(`speech config: ${message}`, { provider: "config", retryable: false });
}
