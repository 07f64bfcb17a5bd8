import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createOpenAiTranscriber } from "../../edge/speech/openai-transcriber.ts";
import { type SpeechApiStandIn, startSpeechApiStandIn } from "../stand-ins/speech-api.ts";
import { alice, type Harness, startHarness, until } from "./harness.ts";

// The project's shared voice notes (../shared/voice beside the repository), when this checkout has them.
const shared = join(import.meta.dirname, "../../../shared/voice");
const present = existsSync(join(shared, "manifest.jsonl"));
const key = "sk-shared-voice";
let speech: SpeechApiStandIn;
let h: Harness;

describe.skipIf(!present && !process.env.CI)(
  "the shared voice notes (../shared/voice: 14 Russian, 12 English)",
  () => {
    beforeAll(async () => {
      speech = await startSpeechApiStandIn({ apiKey: key, promptMustInclude: ["grok-voice", "admin-api"] });
      await speech.scriptManifest(shared);
      h = await startHarness({
        stt: createOpenAiTranscriber({ baseUrl: speech.baseUrl, apiKey: key, model: "m" }),
      });
    });
    afterAll(async () => {
      await h?.close();
      await speech?.close();
    });

    it("each passes the Ogg/Opus check and reaches the desk as its text, in its language", async () => {
      const entries = (await readFile(join(shared, "manifest.jsonl"), "utf8"))
        .split("\n")
        .filter(Boolean)
        .map((line) => JSON.parse(line) as { file: string; text: string; lang: "ru" | "en" });
      for (const entry of entries) {
        h.api.push(
          h.api.voiceUpdate(alice, { bytes: new Uint8Array(await readFile(join(shared, entry.file))) }),
        );
      }
      await until(() => h.desk.texts.length === entries.length, 20_000);
      expect(h.desk.texts.map((t) => [t.text, t.lang])).toEqual(entries.map((e) => [e.text, e.lang]));
      expect(speech.calls.filter((c) => c.route === "transcriptions" && c.status === 200)).toHaveLength(
        entries.length,
      );
    });
  },
);
