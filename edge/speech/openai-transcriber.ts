/** Speech to text through any OpenAI-compatible transcription endpoint (OpenAI, Groq, a local server). */
import { sendProviderRequest } from "./provider-request.ts";
import type { FetchFunction, SpeechToText, TranscribeRequest, Transcript } from "./speech.ts";
import { SpeechError } from "./speech-error.ts";

/** Where and how to reach the endpoint. */
export interface OpenAiTranscriberOptions {
  /** The API base, e.g. https://api.groq.com/openai/v1; `/audio/transcriptions` is appended. */
  readonly baseUrl: string;
  readonly apiKey?: string;
  readonly model: string;
  readonly name?: string;
  readonly timeoutMs?: number;
  readonly fetch?: FetchFunction;
}

/** Creates a transcriber that POSTs multipart {file, model, prompt, language?, response_format=json}. */
export function createOpenAiTranscriber(options: OpenAiTranscriberOptions): SpeechToText {
  const name = options.name ?? "openai-stt";
  const url = `${options.baseUrl.replace(/\/+$/, "")}/audio/transcriptions`;
  const doFetch = options.fetch ?? ((input, init) => fetch(input, init));
  return {
    name,
    async transcribe(request: TranscribeRequest): Promise<Transcript> {
      const form = new FormData();
      form.append(
        "file",
        new Blob([new Uint8Array(request.audio)], { type: request.mime }),
        request.filename,
      );
      form.append("model", options.model);
      form.append("response_format", "json");
      if (request.prompt) form.append("prompt", request.prompt);
      if (request.lang) form.append("language", request.lang);
      const headers: Record<string, string> = {};
      if (options.apiKey) headers["authorization"] = `Bearer ${options.apiKey}`;
      const response = await sendProviderRequest({
        provider: name,
        fetch: doFetch,
        url,
        init: { method: "POST", headers, body: form },
        timeoutMs: options.timeoutMs ?? 30_000,
        secrets: options.apiKey ? [options.apiKey] : [],
        ...(request.signal ? { signal: request.signal } : {}),
      });
      const body: unknown = await response.json().catch(() => undefined);
      if (typeof body !== "object" || body === null || !("text" in body) || typeof body.text !== "string") {
        throw new SpeechError(`${name}: the answer has no text`, { provider: name, retryable: false });
      }
      const lang = "language" in body && typeof body.language === "string" ? body.language : undefined;
      return { text: body.text.trim(), ...(lang ? { lang } : {}) };
    },
  };
}
