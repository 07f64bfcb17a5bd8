/** Recognises an audio container from its first bytes. */
import type { AudioFormat } from "./speech.ts";

/** The MIME type of each container. */
export const audioMime: Record<AudioFormat, string> = {
  ogg: "audio/ogg",
  mp3: "audio/mpeg",
  m4a: "audio/mp4",
  wav: "audio/wav",
};

/** Returns the container of `bytes`, or undefined when it is none the Bot API plays. */
export function detectAudioFormat(bytes: Uint8Array): AudioFormat | undefined {
  const ascii = (from: number, to: number) => String.fromCharCode(...bytes.subarray(from, to));
  if (bytes.length < 12) return undefined;
  if (ascii(0, 4) === "OggS") return "ogg";
  if (ascii(0, 3) === "ID3") return "mp3";
  if (bytes[0] === 0xff && ((bytes[1] ?? 0) & 0xe0) === 0xe0) return "mp3";
  if (ascii(4, 8) === "ftyp") return "m4a";
  if (ascii(0, 4) === "RIFF" && ascii(8, 12) === "WAVE") return "wav";
  return undefined;
}
