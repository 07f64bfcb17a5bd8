import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { edgeSettings } from "../../protocol/settings/edge-settings.ts";
import { parseSettings } from "../../protocol/settings/parse-settings.ts";
import { oggOpusProblem } from "../../test/stand-ins/bot-api/ogg-opus.ts";
import {
  hasPocketsphinx,
  type SpeechApiStandIn,
  startSpeechApiStandIn,
} from "../../test/stand-ins/speech-api.ts";
import { base64ToBytes, bytesToBase64 } from "../core/base64.ts";
import { createOpenAiSynthesizer } from "./openai-synthesizer.ts";
import { createOpenAiTranscriber } from "./openai-transcriber.ts";
import { createSpeechFromConfig } from "./speech-config.ts";
import { SpeechError } from "./speech-error.ts";
import { createWorkersAiSynthesizer } from "./workers-ai-synthesizer.ts";
import { createWorkersAiTranscriber } from "./workers-ai-transcriber.ts";

const fixtures = join(import.meta.dirname, "../../test/fixtures/voice");
const key = "sk-test-secret-key-0123456789";
const prompt = "voxops: grok-voice, admin-api, nginx, vm1, vm2";
let api: SpeechApiStandIn;

beforeAll(async () => {
  api = await startSpeechApiStandIn({ apiKey: key, promptMustInclude: ["grok-voice", "admin-api"] });
  await api.scriptManifest(fixtures);
});
afterAll(() => api.close());

const oga = (name: string) => readFile(join(fixtures, name)).then((b) => new Uint8Array(b));

describe("OpenAI-compatible transcription", () => {
  it("uploads the voice note with model and prompt and returns the text", async () => {
    const stt = createOpenAiTranscriber({
      baseUrl: api.baseUrl,
      apiKey: key,
      model: "whisper-large-v3-turbo",
    });
    const result = await stt.transcribe({
      audio: await oga("ru-restart-voice.oga"),
      filename: "voice.ogg",
      mime: "audio/ogg",
      prompt,
    });
    expect(result.text).toBe("Перезапусти voice сервис");
    const call = api.calls.at(-1);
    expect(call?.fields).toMatchObject({ model: "whisper-large-v3-turbo", response_format: "json", prompt });
  });

  it("refuses a wrong key with a non-retryable error that does not contain the key", async () => {
    const wrong = "sk-wrong-key-should-not-leak";
    const stt = createOpenAiTranscriber({ baseUrl: api.baseUrl, apiKey: wrong, model: "m" });
    const error = await stt
      .transcribe({ audio: await oga("en-status.oga"), filename: "voice.ogg", mime: "audio/ogg", prompt })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SpeechError);
    expect((error as SpeechError).status).toBe(401);
    expect((error as SpeechError).retryable).toBe(false);
    expect((error as SpeechError).message).toContain("check the API key");
    expect((error as SpeechError).message).not.toContain(wrong);
  });

  it("is told when the upload is not Ogg/Opus", async () => {
    const stt = createOpenAiTranscriber({ baseUrl: api.baseUrl, apiKey: key, model: "m" });
    const error = await stt
      .transcribe({
        audio: new TextEncoder().encode("x".repeat(500)),
        filename: "voice.ogg",
        mime: "audio/ogg",
        prompt,
      })
      .catch((e: unknown) => e);
    expect((error as SpeechError).status).toBe(400);
    expect((error as SpeechError).message).toContain("no OggS capture pattern");
  });

  it("times out with a retryable error", async () => {
    const hanging = (_url: string, init?: RequestInit) =>
      new Promise<Response>((_, reject) =>
        init?.signal?.addEventListener("abort", () => reject(new Error("aborted"))),
      );
    const stt = createOpenAiTranscriber({
      baseUrl: api.baseUrl,
      apiKey: key,
      model: "m",
      timeoutMs: 50,
      fetch: hanging,
    });
    const error = await stt
      .transcribe({ audio: new Uint8Array(10), filename: "v.ogg", mime: "audio/ogg" })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ name: "SpeechError", retryable: true });
    expect((error as Error).message).toContain("no answer within 50 ms");
  });

  it.skipIf(!hasPocketsphinx())("transcribes English for real with pocketsphinx", async () => {
    const real = await startSpeechApiStandIn({ apiKey: key, pocketsphinx: true });
    try {
      const stt = createOpenAiTranscriber({ baseUrl: real.baseUrl, apiKey: key, model: "m" });
      const result = await stt.transcribe({
        audio: await oga("en-reboot-first.oga"),
        filename: "v.ogg",
        mime: "audio/ogg",
      });
      expect(result.text).toBe("reboot the first machine");
      expect(real.calls.at(-1)?.transcribedBy).toBe("pocketsphinx");
    } finally {
      await real.close();
    }
  });
});

describe("OpenAI-compatible speech", () => {
  it("returns Ogg/Opus audio for a Russian answer", async () => {
    const tts = createOpenAiSynthesizer({
      baseUrl: api.baseUrl,
      apiKey: key,
      model: "tts-1",
      voices: { ru: "nova" },
    });
    const result = await tts.synthesize({ text: "Сервис grok-voice перезапущен", lang: "ru" });
    expect(result.format).toBe("ogg");
    expect(oggOpusProblem(result.audio)).toBeUndefined();
    expect(api.calls.at(-1)?.fields).toMatchObject({
      voice: "nova",
      response_format: "opus",
      model: "tts-1",
    });
  });
});

describe("Workers AI", () => {
  it("sends base64 audio and the prompt to Whisper and reads the detected language", async () => {
    const seen: Record<string, unknown>[] = [];
    const ai = {
      run: async (model: string, input: Record<string, unknown>) => {
        seen.push({ model, ...input });
        return { text: " Restart grok voice ", transcription_info: { language: "en" } };
      },
    };
    const audio = await oga("en-restart-grok-voice.oga");
    const result = await createWorkersAiTranscriber({ ai }).transcribe({
      audio,
      filename: "v.ogg",
      mime: "audio/ogg",
      prompt,
    });
    expect(result).toEqual({ text: "Restart grok voice", lang: "en" });
    expect(seen[0]).toMatchObject({ model: "@cf/openai/whisper-large-v3-turbo", initial_prompt: prompt });
    expect(base64ToBytes(String(seen[0]?.["audio"]))).toEqual(audio);
  });

  it("decodes MeloTTS base64 MP3 and refuses a language it has no voice for", async () => {
    const mp3 = new Uint8Array([0x49, 0x44, 0x33, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xfb]);
    const ai = { run: async () => ({ audio: bytesToBase64(mp3) }) };
    const tts = createWorkersAiSynthesizer({ ai });
    expect(await tts.synthesize({ text: "hi", lang: "en" })).toMatchObject({
      format: "mp3",
      mime: "audio/mpeg",
    });
    await expect(tts.synthesize({ text: "привет", lang: "ru" })).rejects.toMatchObject({ retryable: false });
  });
});

describe("createSpeechFromConfig", () => {
  it("builds nothing by default and the named providers otherwise", () => {
    expect(createSpeechFromConfig(parseSettings(edgeSettings, {}).values)).toEqual({});
    const both = createSpeechFromConfig(
      parseSettings(edgeSettings, {
        STT_PROVIDER: "groq",
        STT_API_KEY: key,
        TTS_PROVIDER: "openai",
        TTS_API_KEY: key,
      }).values,
    );
    expect(both.stt?.name).toBe("groq-stt");
    expect(both.tts?.name).toBe("openai-tts");
    const ai = { run: async () => ({}) };
    expect(
      createSpeechFromConfig(parseSettings(edgeSettings, { STT_PROVIDER: "workers-ai" }).values, { ai }).stt
        ?.name,
    ).toBe("workers-ai-stt");
  });

  it("names the bad setting and never echoes a key", () => {
    const speech = (env: Record<string, string>) =>
      createSpeechFromConfig(parseSettings(edgeSettings, env).values);
    expect(() => speech({ STT_PROVIDER: "groq" })).toThrow(/STT_API_KEY/);
    expect(() => speech({ STT_PROVIDER: "workers-ai" })).toThrow(/env.AI/);
    const wrong = parseSettings(edgeSettings, {
      TTS_PROVIDER: "espeak",
      STT_PROVIDER: "openai",
      STT_BASE_URL: "ftp://x",
      STT_API_KEY: key,
    });
    expect(wrong.problems.map((p) => p.sentence)).toEqual([
      'STT_BASE_URL must be an http(s) URL (it is "ftp://x"); speech (voice messages and spoken replies) is off.',
      'TTS_PROVIDER must be one of none, workers-ai or openai (it is "espeak"); speech (voice messages and spoken replies) is off.',
    ]);
    expect(JSON.stringify(wrong.problems)).not.toContain(key);
    expect(wrong.broken("speech")).toBe(true);
  });
});

describe("the speech stand-in", () => {
  it("refuses a file name whose extension the providers do not take", async () => {
    const stt = createOpenAiTranscriber({ baseUrl: api.baseUrl, apiKey: key, model: "m" });
    const error = await stt
      .transcribe({ audio: await oga("en-status.oga"), filename: "voice.oga", mime: "audio/ogg", prompt })
      .catch((e: unknown) => e);
    expect((error as SpeechError).status).toBe(400);
    expect((error as SpeechError).message).toContain("file must be one of");
  });
});
