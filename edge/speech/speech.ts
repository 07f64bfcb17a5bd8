/**
 * Speech as ports: speech to text for voice commands, text to speech for voice replies. Providers
 * (Workers AI, Groq, any OpenAI-compatible endpoint) implement them; the bot knows only these.
 */
import type { Lang } from "../../protocol/lang.ts";

/** An audio container the Bot API can carry (sendVoice takes ogg/opus, mp3 and m4a). */
export type AudioFormat = "ogg" | "mp3" | "m4a" | "wav";

/** One recording to transcribe. */
export interface TranscribeRequest {
  readonly audio: Uint8Array;
  /** A file name with an extension the provider recognises, e.g. "voice.oga". */
  readonly filename: string;
  readonly mime: string;
  /** The expected language, when known; otherwise the provider detects it. */
  readonly lang?: Lang;
  /** Words to bias recognition towards: service and VM names from the inventory. */
  readonly prompt?: string;
  readonly signal?: AbortSignal;
}

/** What was heard. */
export interface Transcript {
  readonly text: string;
  /** The language the provider detected (ISO 639-1 when it says so), if it reports one. */
  readonly lang?: string;
  /** How sure the provider is of the text, 0..1, if it reports it (a low figure makes a change read back). */
  readonly confidence?: number;
}

/** Turns a recording into text. */
export interface SpeechToText {
  readonly name: string;
  transcribe(request: TranscribeRequest): Promise<Transcript>;
}

/** One text to speak. */
export interface SynthesizeRequest {
  readonly text: string;
  readonly lang: Lang;
  readonly signal?: AbortSignal;
}

/** Spoken audio and its container. */
export interface SpeechAudio {
  readonly audio: Uint8Array;
  readonly format: AudioFormat;
  readonly mime: string;
}

/** Turns text into audio. */
export interface TextToSpeech {
  readonly name: string;
  synthesize(request: SynthesizeRequest): Promise<SpeechAudio>;
}

/** The fetch function providers use (the global one by default; tests may inject one). */
export type FetchFunction = (input: string, init?: RequestInit) => Promise<Response>;
