/**
 * The Telegram bot end to end through the real desk: a Node host polling the stand-in Bot API, the
 * speech stand-in checking real Ogg/Opus voice notes, and a real sidecar process for vm1 restarting a
 * real service under the stand-in systemd and asking it to reboot.
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type BotApiStandIn,
  type RecordedCall,
  type StandInUser,
  startBotApiStandIn,
} from "../stand-ins/bot-api.ts";
import { type SpeechApiStandIn, startSpeechApiStandIn } from "../stand-ins/speech-api.ts";
import { stopAll } from "../support/child.ts";
import { waitFor } from "../support/wait-for.ts";
import { startWorld, type World } from "./world.ts";

const admin: StandInUser = { id: 1001, first_name: "Алиса", language_code: "ru", username: "alice" };
const viewer: StandInUser = { id: 1003, first_name: "Victor", language_code: "en", username: "victor" };
const stranger: StandInUser = { id: 7777, first_name: "Mallory", language_code: "en", username: "mallory" };
const STT_KEY = "sk-e2e-speech-key-0001";
const sharedVoice = join(import.meta.dirname, "../../../shared/voice");

let api: BotApiStandIn;
let speech: SpeechApiStandIn;
let w: World;

beforeAll(async () => {
  api = await startBotApiStandIn();
  for (const user of [admin, viewer, stranger]) api.addUser(user);
  speech = await startSpeechApiStandIn({ apiKey: STT_KEY, promptMustInclude: ["grok-voice", "vm1"] });
  await speech.scriptManifest(sharedVoice);
  w = await startWorld({
    TELEGRAM_BOT_TOKEN: api.token,
    TELEGRAM_API_ROOT: api.apiRoot,
    TELEGRAM_USERS: `${admin.id}:admin,${viewer.id}:viewer`,
    TELEGRAM_BOT_INFO: JSON.stringify(api.botInfo),
    STT_PROVIDER: "openai",
    STT_BASE_URL: speech.baseUrl,
    STT_API_KEY: STT_KEY,
  });
  // Long polling starts by deleting any webhook; updates pushed from here on are delivered.
  await api.waitForCall((c) => c.method === "deleteWebhook", 10_000);
}, 40_000);

afterAll(async () => {
  // The host first: with the Bot API gone, its in-flight sends would fail.
  await w?.close();
  await api?.close();
  await speech?.close();
  await stopAll();
});

/** Text the bot sent to or edited in `chatId`, from call index `from` on. */
const textsTo = (chatId: number, from = 0): string[] =>
  api.calls
    .slice(from)
    .filter((c) => c.ok && c.params["chat_id"] === chatId && /^(sendMessage|editMessageText)$/.test(c.method))
    .map((c) => String(c.params["text"] ?? ""));

/** Waits for a sendMessage/editMessageText to `chatId` (after call index `from`) whose text matches. */
function waitText(chatId: number, pattern: RegExp, from: number, timeoutMs = 15_000): Promise<RecordedCall> {
  return api.waitForCall(
    (c) =>
      c.ok &&
      api.calls.indexOf(c) >= from &&
      c.params["chat_id"] === chatId &&
      /^(sendMessage|editMessageText)$/.test(c.method) &&
      pattern.test(String(c.params["text"] ?? "")),
    timeoutMs,
  );
}

/** The stored bot message in `chatId` whose buttons carry a `cf:` confirmation, newest first. */
function confirmationMessage(chatId: number): { messageId: number; confirm: string; cancel: string } {
  const found = [...api.state.messages.values()]
    .filter((m) => m.chat_id === chatId && JSON.stringify(m.reply_markup ?? {}).includes('"cf:'))
    .at(-1);
  const row = found?.reply_markup?.inline_keyboard?.[0] ?? [];
  const data = row.map((b) => ("callback_data" in b ? String(b.callback_data) : ""));
  return {
    messageId: found?.message_id ?? -1,
    confirm: data.find((d) => d.startsWith("cf:")) ?? "",
    cancel: data.find((d) => d.startsWith("cx:")) ?? "",
  };
}

const answersFrom = (from: number) =>
  api.calls.slice(from).filter((c) => c.method === "answerCallbackQuery" && c.ok);

const auditRecords = async (): Promise<any[]> => (await w.api("/agent/audit?limit=300")).body.records;

/** How often systemd (the stand-in) started grok-voice. */
const starts = () => w.journal("grok-voice.service").filter((l) => l.startsWith("Started")).length;

describe("text and voice commands", () => {
  it('"Перезапусти voice сервис" restarts grok-voice on vm1 and answers in Russian', async () => {
    const from = api.calls.length;
    const startsBefore = starts();
    api.push(api.textUpdate(admin, "Перезапусти voice сервис"));
    const done = await waitText(admin.id, /✅ grok-voice на vm1 перезапущен за \d+\.\d с\./, from);
    expect(String(done.params["text"])).toContain("→ перезапуск grok-voice на vm1 (main)");
    expect(String(done.params["text"])).toBe(textsTo(admin.id, from).at(-1));
    expect(starts()).toBe(startsBefore + 1);
    expect(w.journal("grok-voice.service").join("\n")).toMatch(/listening on 127\.0\.0\.1/);
    expect((await fetch(`http://127.0.0.1:${w.healthPort}/health`)).status).toBe(200);
    const records = await auditRecords();
    expect(
      records.some(
        (r) =>
          r.action === "restart" &&
          r.actor.kind === "telegram" &&
          r.actor.id === "1001" &&
          r.outcome === "ok",
      ),
    ).toBe(true);
  });

  it("a Russian voice note (real Ogg/Opus) is echoed, then run", async () => {
    const from = api.calls.length;
    const bytes = new Uint8Array(await readFile(join(sharedVoice, "14-ru.oga")));
    const sttBefore = speech.calls.length;
    const startsBefore = starts();
    const stopsBefore = w.journal("grok-voice.service").filter((l) => l.startsWith("Stopped")).length;
    api.push(api.voiceUpdate(admin, { bytes, duration: 2 }));
    const echo = await waitText(admin.id, /^🎤 «/, from);
    expect(String(echo.params["text"])).toBe("🎤 «<i>Перезапусти voice сервис</i>»");
    const done = await waitText(admin.id, /✅ grok-voice на vm1 перезапущен/, from);
    expect(api.calls.indexOf(done)).toBeGreaterThan(api.calls.indexOf(echo));
    const stt = speech.calls.slice(sttBefore).find((c) => c.route === "transcriptions");
    expect(stt).toMatchObject({ status: 200, fileBytes: bytes.length, transcribedBy: "script" });
    expect(stt?.fields["prompt"]).toContain("grok-voice");
    // A restart of a running service: systemd stopped it, then started it again.
    expect(starts()).toBe(startsBefore + 1);
    expect(w.journal("grok-voice.service").filter((l) => l.startsWith("Stopped")).length).toBe(
      stopsBefore + 1,
    );
  });

  it("an English voice note is answered in English", async () => {
    const from = api.calls.length;
    const bytes = new Uint8Array(await readFile(join(sharedVoice, "19-en.oga")));
    api.push(api.voiceUpdate(admin, { bytes, duration: 2 }));
    const echo = await waitText(admin.id, /^🎤 «/, from);
    expect(String(echo.params["text"])).toBe("🎤 «<i>Restart grok-voice</i>»");
    await waitText(admin.id, /✅ grok-voice on vm1 restarted in \d+\.\d s\./, from);
  });

  it("a duplicated update is processed once", async () => {
    const countStatus = async () =>
      (await auditRecords()).filter(
        (r) => r.action === "status" && r.actor.id === "1001" && r.outcome === "dispatched",
      ).length;
    const before = await countStatus();
    const from = api.calls.length;
    const update = api.textUpdate(admin, "Проверь статус на первой машине");
    api.push(update);
    api.push(update);
    await waitText(admin.id, /🖥 vm1: нагрузка/, from);
    // Long enough for a second copy to be answered (the chat is paced at about one message a second).
    await new Promise((r) => setTimeout(r, 2500));
    expect(textsTo(admin.id, from).filter((t) => t.includes("🖥 vm1"))).toHaveLength(1);
    expect(await countStatus()).toBe(before + 1);
  });
});

describe("a stranger", () => {
  it("gets a short refusal; nothing runs; the attempt is audited", async () => {
    const from = api.calls.length;
    const reboots = w.reboots().length;
    api.push(api.textUpdate(stranger, "Reboot the first machine"));
    const refusal = await waitText(stranger.id, /.+/, from);
    expect(String(refusal.params["text"]).length).toBeLessThan(300);
    await new Promise((r) => setTimeout(r, 500));
    expect(textsTo(stranger.id, from)).toHaveLength(1);
    expect(w.reboots()).toHaveLength(reboots);
    const records = await auditRecords();
    const attempt = records.find((r) => r.actor.kind === "telegram" && r.actor.id === "7777");
    expect(attempt).toMatchObject({ action: "telegram", outcome: "stranger refused" });
    expect(attempt.detail).toContain("@mallory");
    expect(records.some((r) => r.action === "reboot" && r.actor.id === "7777")).toBe(false);
  });
});

describe("a reboot confirmation", () => {
  it("reads back VM, role and heartbeat; refused to the viewer; run once for the admin; refused when pressed again", async () => {
    const from = api.calls.length;
    api.push(api.textUpdate(admin, "Перезагрузи первую машину"));
    const asked = await waitText(admin.id, /❓/, from);
    expect(String(asked.params["text"])).toMatch(
      /❓ Перезагрузить vm1 \(main\)\? Последний сигнал \d+ с назад\.\nПодтвердите в течение 60 с\./,
    );
    const { messageId, confirm, cancel } = confirmationMessage(admin.id);
    expect(confirm).toMatch(/^cf:/);
    expect(cancel).toMatch(/^cx:/);
    expect(w.reboots()).toHaveLength(0);

    // The viewer presses the admin's button (a forged press in someone else's chat).
    const viewerFrom = api.calls.length;
    api.push(api.callbackUpdate(viewer, { chat_id: admin.id, message_id: messageId }, confirm));
    await waitFor(() => answersFrom(viewerFrom).length >= 1, { what: "the viewer's press to be answered" });
    expect(answersFrom(viewerFrom)[0]?.params["text"]).toContain(
      "Only the person who asked can confirm this",
    );
    expect(w.reboots()).toHaveLength(0);

    const adminFrom = api.calls.length;
    api.push(api.callbackUpdate(admin, { chat_id: admin.id, message_id: messageId }, confirm));
    await waitFor(() => w.reboots().length === 1, { what: "the stand-in to record a reboot" });
    await waitFor(() => answersFrom(adminFrom).length >= 1, { what: "the admin's press to be answered" });
    await waitText(admin.id, /Перезагружаю vm1/, adminFrom);

    const againFrom = api.calls.length;
    api.push(api.callbackUpdate(admin, { chat_id: admin.id, message_id: messageId }, confirm));
    await waitFor(() => answersFrom(againFrom).length >= 1, { what: "the second press to be answered" });
    expect(answersFrom(againFrom)[0]?.params["text"]).toContain("Уже подтверждено");
    await new Promise((r) => setTimeout(r, 300));
    expect(w.reboots()).toHaveLength(1);

    const refs = (await auditRecords()).filter((r) => r.ref === confirm.slice(3)).map((r) => r.outcome);
    expect(refs).toEqual(
      expect.arrayContaining(["confirmation-requested", "refused: not-yours", "confirmed", "refused: used"]),
    );
  });

  it("the viewer asking for a reboot is refused by role, with no buttons", async () => {
    const from = api.calls.length;
    api.push(api.textUpdate(viewer, "Reboot the second machine"));
    const denied = await waitText(viewer.id, /⛔/, from);
    expect(String(denied.params["text"])).toContain('"reboot" needs the admin role; you are viewer');
    expect(JSON.stringify(denied.params["reply_markup"] ?? {})).not.toContain("cf:");
  });

  it("pressed after it expired is refused and nothing runs", async () => {
    const from = api.calls.length;
    api.push(api.textUpdate(admin, "Перезагрузи вторую машину"));
    const asked = await waitText(admin.id, /❓ Перезагрузить vm2 \(hub\)\?/, from);
    expect(String(asked.params["text"])).toContain("Сигналов от неё ещё не было.");
    const { messageId, confirm } = confirmationMessage(admin.id);
    w.clock.advance(61_000);
    const pressFrom = api.calls.length;
    api.push(api.callbackUpdate(admin, { chat_id: admin.id, message_id: messageId }, confirm));
    await waitFor(() => answersFrom(pressFrom).length >= 1, { what: "the late press to be answered" });
    expect(answersFrom(pressFrom)[0]?.params["text"]).toContain("истекло");
    await waitText(admin.id, /истекло/, pressFrom);
    const records = await auditRecords();
    expect(records.some((r) => r.ref === confirm.slice(3) && r.outcome === "refused: expired")).toBe(true);
    expect(
      records.some((r) => r.action === "reboot" && r.target === "vm2" && r.outcome === "confirmed"),
    ).toBe(false);
  });
});
