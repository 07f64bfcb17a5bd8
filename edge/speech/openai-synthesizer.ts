/** Text to speech through any OpenAI-compatible speech endpoint, asking for Ogg/Opus. */
import { audioMime, detectAudioFormat } from "./audio-format.ts";
import { sendProviderRequest } from "./provider-request.ts";
import type { FetchFunction, SpeechAudio, SynthesizeRequest, TextToSpeech } from "./speech.ts";
import { SpeechError } from "./speech-error.ts";

/** Where and how to reach the endpoint. */
export interface OpenAiSynthesizerOptions {
  /** The API base, e.g. https://api.openai.com/v1; `/audio/speech` is appended. */
  readonly baseUrl: string;
  readonly apiKey?: string;
  readonly model: string;
  /** The voice per language (default "alloy" for both). */
  readonly voices?: { readonly ru?: string; readonly en?: string };
  readonly name?: string;
  readonly timeoutMs?: number;
  readonly fetch?: FetchFunction;
}

/** Creates a synthesizer that POSTs {model, input, voice, response_format: "opus"}. */
export function createOpenAiSynthesizer(options: OpenAiSynthesizerOptions): TextToSpeech {
  const name = options.name ?? "openai-tts";
  const url = `${options.baseUrl.replace(/\/+$/, "")}/audio/speech`;
  const doFetch = options.fetch ?? ((input, init) => fetch(input, init));
  return {
    name,
    async synthesize(request: SynthesizeRequest): Promise<SpeechAudio> {
      const headers: Record<string, string> = { "content-type": "application/json" };
      if (options.apiKey) headers["authorization"] = `Bearer ${options.apiKey}`;
      const voice = options.voices?.[request.lang] ?? "alloy";
      const response = await sendProviderRequest({
        provider: name,
        fetch: doFetch,
        url,
        init: {
          method: "POST",
          headers,
          body: JSON.stringify({ model: options.model, input: request.text, voice, response_format: "opus" }),
        },
        timeoutMs: options.timeoutMs ?? 30_000,
        secrets: options.apiKey ? [options.apiKey] : [],
        ...(request.signal ? { signal: request.signal } : {}),
      });
      const audio = new Uint8Array(await response.arrayBuffer());
      const format = detectAudioFormat(audio);
      if (!format) {
        throw new SpeechError(`${name}: the answer is not audio the Bot API plays`, {
          provider: name,
          retryable: false,
        });
      }
      return { audio, format, mime: audioMime[format] };
    },
  };
}
