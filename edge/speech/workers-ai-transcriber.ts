/** Speech to text through a Workers AI binding (Whisper), with no Cloudflare import. */
import { bytesToBase64 } from "../core/base64.ts";
import type { SpeechToText, TranscribeRequest, Transcript } from "./speech.ts";
import { SpeechError } from "./speech-error.ts";

/** The part of the Workers AI binding (`env.AI`) that speech uses. */
export interface WorkersAiBinding {
  run(model: string, input: Record<string, unknown>): Promise<unknown>;
}

/** Which binding and model. */
export interface WorkersAiTranscriberOptions {
  readonly ai: WorkersAiBinding;
  /** Default @cf/openai/whisper-large-v3-turbo (takes base64 audio and an initial prompt). */
  readonly model?: string;
  readonly timeoutMs?: number;
}

/** Creates a transcriber that runs Whisper on Workers AI. */
export function createWorkersAiTranscriber(options: WorkersAiTranscriberOptions): SpeechToText {
  const name = "workers-ai-stt";
  const model = options.model ?? "@cf/openai/whisper-large-v3-turbo";
  const timeoutMs = options.timeoutMs ?? 30_000;
  return {
    name,
    async transcribe(request: TranscribeRequest): Promise<Transcript> {
      const input: Record<string, unknown> = { audio: bytesToBase64(request.audio), task: "transcribe" };
      if (request.prompt) input["initial_prompt"] = request.prompt;
      if (request.lang) input["language"] = request.lang;
      const output = await runWithDeadline(options.ai, model, input, timeoutMs, name);
      if (
        typeof output !== "object" ||
        output === null ||
        !("text" in output) ||
        typeof output.text !== "string"
      ) {
        throw new SpeechError(`${name}: the answer has no text`, { provider: name, retryable: false });
      }
      let lang: string | undefined;
      if ("transcription_info" in output && typeof output.transcription_info === "object") {
        const info = output.transcription_info;
        if (info !== null && "language" in info && typeof info.language === "string") lang = info.language;
      }
      return { text: output.text.trim(), ...(lang ? { lang } : {}) };
    },
  };
}

/** Runs a Workers AI model, failing with a retryable SpeechError after the deadline. */
export async function runWithDeadline(
  ai: WorkersAiBinding,
  model: string,
  input: Record<string, unknown>,
  timeoutMs: number,
  provider: string,
): Promise<unknown> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new SpeechError(`${provider}: no answer within ${timeoutMs} ms`, { provider, retryable: true }),
        ),
      timeoutMs,
    );
  });
  try {
    return await Promise.race([ai.run(model, input), deadline]);
  } catch (error) {
    if (error instanceof SpeechError) throw error;
    const detail = error instanceof Error ? error.message.slice(0, 200) : "unknown failure";
    throw new SpeechError(`${provider}: ${model} failed (${detail})`, {
      provider,
      retryable: true,
      cause: error,
    });
  } finally {
    if (timer !== undefined) clearTimeout(timer);
  }
}
