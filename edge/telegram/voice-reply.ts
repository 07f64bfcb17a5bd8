/** The spoken answer: the first lines of the text answer, synthesized and sent as a voice message. */
import { type Api, InputFile } from "grammy";
import type { Lang } from "../core/desk.ts";
import type { TextToSpeech } from "../speech/speech.ts";
import { keepChatAction } from "./status-message.ts";

/** Speaks at most this many characters: the answer's head, not a log dump. */
const spokenLimit = 400;

/** The part of an answer worth speaking: its first lines, without symbols read out loud badly. */
export function spokenText(text: string): string {
  const lines = text
    .split("\n")
    .map((line) => line.replace(/•|✅|❌|⚠\uFE0F?|⏳|🎤|🔊|🔇|⛔\uFE0F?/gu, "").trim())
    .filter(Boolean);
  let out = "";
  for (const line of lines) {
    if (out && out.length + line.length + 1 > spokenLimit) break;
    out = out ? `${out}\n${line}` : line;
  }
  return out.slice(0, spokenLimit);
}

/** Synthesizes `text` and sends it to `chatId` (sendVoice for Ogg/Opus, MP3 and M4A; sendAudio otherwise). */
export async function sendVoiceReply(
  api: Api,
  chatId: number,
  tts: TextToSpeech,
  text: string,
  lang: Lang,
  onError: (error: unknown) => void,
): Promise<void> {
  const speak = spokenText(text);
  if (!speak) return;
  const stop = keepChatAction(api, chatId, "record_voice", onError);
  try {
    const speech = await tts.synthesize({ text: speak, lang });
    const extension = speech.format === "ogg" ? "ogg" : speech.format;
    const file = new InputFile(speech.audio, `reply.${extension}`);
    if (speech.format === "wav") await api.sendAudio(chatId, file);
    else await api.sendVoice(chatId, file);
  } finally {
    stop();
  }
}
