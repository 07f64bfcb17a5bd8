/** Text to speech through a Workers AI binding (MeloTTS by default, which answers base64 MP3). */

import { base64ToBytes } from "../core/base64.ts";
import { audioMime, detectAudioFormat } from "./audio-format.ts";
import type { SpeechAudio, SynthesizeRequest, TextToSpeech } from "./speech.ts";
import { SpeechError } from "./speech-error.ts";
import { runWithDeadline, type WorkersAiBinding } from "./workers-ai-transcriber.ts";

/** Which binding, model and languages. */
export interface WorkersAiSynthesizerOptions {
  readonly ai: WorkersAiBinding;
  /** Default @cf/myshell-ai/melotts. */
  readonly model?: string;
  /** Languages the model speaks; MeloTTS has no Russian voice, so the default is ["en"]. */
  readonly langs?: readonly string[];
  readonly timeoutMs?: number;
}

/** Creates a synthesizer that runs a Workers AI text-to-speech model. */
export function createWorkersAiSynthesizer(options: WorkersAiSynthesizerOptions): TextToSpeech {
  const name = "workers-ai-tts";
  const model = options.model ?? "@cf/myshell-ai/melotts";
  const langs = options.langs ?? ["en"];
  return {
    name,
    async synthesize(request: SynthesizeRequest): Promise<SpeechAudio> {
      if (!langs.includes(request.lang)) {
        throw new SpeechError(`${name}: ${model} has no ${request.lang} voice`, {
          provider: name,
          retryable: false,
        });
      }
      const output = await runWithDeadline(
        options.ai,
        model,
        { prompt: request.text, lang: request.lang },
        options.timeoutMs ?? 30_000,
        name,
      );
      let audio: Uint8Array | undefined;
      if (output instanceof Uint8Array) audio = output;
      else if (output instanceof ArrayBuffer) audio = new Uint8Array(output);
      else if (
        typeof output === "object" &&
        output !== null &&
        "audio" in output &&
        typeof output.audio === "string"
      ) {
        try {
          audio = base64ToBytes(output.audio);
        } catch {
          audio = undefined;
        }
      }
      const format = audio ? detectAudioFormat(audio) : undefined;
      if (!audio || !format) {
        throw new SpeechError(`${name}: the answer is not audio`, { provider: name, retryable: false });
      }
      return { audio, format, mime: audioMime[format] };
    },
  };
}
