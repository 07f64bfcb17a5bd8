/**
 * Uncertain voice is read back before anything changes: through the bot, the Bot API stand-in, the
 * speech stand-in (scripted transcripts of real voice notes) and the real operator desk (controller,
 * policy gate, confirmations, understanding) with the desk bench's recording sidecar links.
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createOpenAiTranscriber } from "../../edge/speech/openai-transcriber.ts";
import { createDeskBench, type DeskBench } from "../desk/desk-bench.ts";
import { type SpeechApiStandIn, startSpeechApiStandIn } from "../stand-ins/speech-api.ts";
import { alice, type Harness, startHarness } from "./harness.ts";

const fixtures = join(import.meta.dirname, "../fixtures/voice");
const key = "sk-speech-test-key-42";
const oga = (name: string) => readFile(join(fixtures, name)).then((b) => new Uint8Array(b));
let speech: SpeechApiStandIn;
let h: Harness | undefined;
let bench: DeskBench | undefined;

// Three real notes, each transcribed by the stand-in as a different operator sentence.
const partial = "ru-restart-voice.oga";
const clear = "en-restart-grok-voice.oga";
const twoActions = "ru-status.oga";

beforeAll(async () => {
  speech = await startSpeechApiStandIn({
    apiKey: key,
    promptMustInclude: ["grok-voice"],
    pocketsphinx: false,
  });
  speech.script(await oga(partial), "Перезапусти admin-api бегом");
  speech.script(await oga(clear), "Restart grok voice");
  speech.script(await oga(twoActions), "Перезапусти постгрес и поменяй ему конфиг");
});
afterAll(() => speech.close());
afterEach(async () => {
  await h?.close();
  bench?.close();
  h = undefined;
  bench = undefined;
});

async function start(): Promise<{ h: Harness; bench: DeskBench }> {
  bench = createDeskBench();
  bench.connect("vm1");
  bench.connect("vm2");
  h = await startHarness({
    desk: bench.desk,
    stt: createOpenAiTranscriber({ baseUrl: speech.baseUrl, apiKey: key, model: "whisper-large-v3-turbo" }),
  });
  return { h, bench };
}

const lastEdit = (harness: Harness) =>
  harness.api.calls.filter((c) => c.method === "editMessageText" && c.ok).at(-1);

describe("a spoken change", () => {
  it("that is not a full match is read back for one tap, and runs only when tapped", async () => {
    const { h, bench } = await start();
    h.api.push(h.api.voiceUpdate(alice, { bytes: await oga(partial), duration: 2 }));
    const asked = await h.api.waitForCall(
      (c) => c.method === "editMessageText" && String(c.params["text"]).includes("Перезапустить admin-api"),
      10_000,
    );
    expect(String(asked.params["text"])).toContain("❓ Перезапустить admin-api на vm1 (main)?");
    const markup = asked.params["reply_markup"] as {
      inline_keyboard: { text: string; callback_data: string }[][];
    };
    const yes = markup.inline_keyboard[0]?.[0];
    expect(yes?.text).toContain("Да");
    expect(bench.sent).toEqual([]);

    const messageId = asked.params["message_id"] as number;
    h.api.push(
      h.api.callbackUpdate(alice, { chat_id: alice.id, message_id: messageId }, yes?.callback_data ?? ""),
    );
    await h.api.waitForCall((c) => c.method === "answerCallbackQuery" && c.ok, 10_000);
    await h.api.waitForCall(() => bench.sent.length > 0, 10_000);
    expect(bench.sent).toEqual([{ vm: "vm1", action: "restart", args: { service: "admin-api" } }]);
  });

  it("that is a full match of a clear command runs at once, with no question", async () => {
    const { h, bench } = await start();
    h.api.push(h.api.voiceUpdate(alice, { bytes: await oga(clear), duration: 2 }));
    await h.api.waitForCall(
      (c) => c.method === "editMessageText" && c.ok && String(c.params["text"]).includes("grok-voice"),
      10_000,
    );
    await h.api.waitForCall(() => bench.sent.length > 0, 10_000);
    expect(bench.sent).toEqual([{ vm: "vm1", action: "restart", args: { service: "grok-voice" } }]);
    expect(lastEdit(h)?.params["reply_markup"]).toBeUndefined();
    expect(String(lastEdit(h)?.params["text"])).not.toContain("❓");
  });

  it("with two actions in it gets a question back in the operator's language, and nothing runs", async () => {
    const { h, bench } = await start();
    h.api.push(h.api.voiceUpdate(alice, { bytes: await oga(twoActions), duration: 2 }));
    const reply = await h.api.waitForCall(
      (c) => c.method === "editMessageText" && String(c.params["text"]).includes("Вы хотите"),
      10_000,
    );
    expect(String(reply.params["text"])).toContain(
      "Вы хотите перезапустить postgresql или изменить его конфиг? Назовите одно действие — угадывать я не буду.",
    );
    expect(bench.sent).toEqual([]);
  });
});
