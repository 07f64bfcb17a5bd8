/**
 * A voice command: download (within the 20 MB limit), transcribe with the inventory's names as a
 * prompt, echo "🎤 «…»" before acting, then run the words as a command; a changing action that
 * was not a full match (or that the recogniser was unsure of) is read back for one tap first.
 */
import type { Voice } from "grammy/types";
import type { Actor } from "../core/actors.ts";
import type { Lang } from "../core/desk.ts";
import { SpeechError } from "../speech/speech-error.ts";
import type { BotDeps } from "./bot-deps.ts";
import { runCommand } from "./command-flow.ts";
import { escapeHtml, fitText } from "./html.ts";
import { detectLang, langFromName } from "./lang.ts";
import { createStatusMessage, keepChatAction } from "./status-message.ts";
import { downloadFailed, phrases, sttFailed, voiceTooBig } from "./texts.ts";
import { downloadVoice } from "./voice-download.ts";

/** One voice message from an allowed user. */
export interface VoiceRequest {
  readonly actor: Actor;
  readonly userId: number;
  readonly chatId: number;
  readonly voice: Voice;
  /** The language to speak to the user in before we know what they said. */
  readonly lang: Lang;
}

/** Handles a voice message end to end. */
export async function runVoiceCommand(deps: BotDeps, request: VoiceRequest): Promise<void> {
  const { api } = deps;
  const { chatId, lang } = request;
  const say = (text: string) =>
    api.sendMessage(chatId, escapeHtml(text), { parse_mode: "HTML" }).then(() => undefined);
  if (!deps.stt) return say(phrases.sttOff[lang]);
  const stopTyping = keepChatAction(api, chatId, "typing", deps.onError);
  let heard: string;
  let heardLang: Lang | undefined;
  let confidence: number | undefined;
  try {
    const download = await downloadVoice(api, deps.voiceSource, request.voice);
    if (!download.ok) {
      if (download.reason === "too_big") return say(voiceTooBig(lang, download.bytes));
      deps.onError(new Error(`voice download failed: ${download.detail}`));
      return say(downloadFailed(lang));
    }
    const hints = await deps.speechHints().catch(() => []);
    const transcript = await deps.stt.transcribe({
      audio: download.audio,
      filename: "voice.ogg",
      mime: request.voice.mime_type ?? "audio/ogg",
      ...(hints.length > 0 ? { prompt: hints.join(", ") } : {}),
    });
    heard = transcript.text.trim();
    heardLang = langFromName(transcript.lang);
    confidence = transcript.confidence;
  } catch (error) {
    deps.onError(error);
    return say(sttFailed(lang, error instanceof SpeechError ? error.retryable : true));
  } finally {
    stopTyping();
  }
  if (!heard) return say(phrases.nothingHeard[lang]);
  const commandLang = detectLang(heard) ?? heardLang ?? lang;
  const header = `🎤 «<i>${escapeHtml(fitText(heard, 500))}</i>»`;
  const status = createStatusMessage(api, chatId, header, deps.onError);
  await status.open();
  await runCommand(deps, {
    actor: request.actor,
    userId: request.userId,
    chatId,
    text: heard,
    lang: commandLang,
    status,
    headerChars: fitText(heard, 500).length + 4,
    // A transcript, not typed words: a changing action it does not fully account for is read back first.
    spoken: confidence === undefined ? {} : { confidence },
  });
}
