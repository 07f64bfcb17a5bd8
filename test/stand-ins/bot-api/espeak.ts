/** Real speech for the stand-ins (test code): espeak-ng to WAV, ffmpeg to Ogg/Opus like a Telegram voice note. */
import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

/** Speaks `text` (Russian voice when it has Cyrillic letters) and returns Ogg/Opus bytes. */
export async function speakOggOpus(text: string): Promise<Uint8Array> {
  const dir = await mkdtemp(join(tmpdir(), "voxops-espeak-"));
  try {
    const wav = join(dir, "x.wav");
    const oga = join(dir, "x.oga");
    const voice = /[а-яё]/i.test(text) ? "ru" : "en-us";
    await run("espeak-ng", ["-v", voice, "-s", "150", "-w", wav, text], { timeout: 10_000 });
    await run(
      "ffmpeg",
      [
        "-loglevel",
        "error",
        "-y",
        "-i",
        wav,
        "-ac",
        "1",
        "-ar",
        "48000",
        "-c:a",
        "libopus",
        "-b:a",
        "32k",
      ].concat(["-application", "voip", oga]),
      { timeout: 10_000 },
    );
    return new Uint8Array(await readFile(oga));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
