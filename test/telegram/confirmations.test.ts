import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createTelegramNotifier } from "../../edge/telegram/notifier.ts";
import type { RecordedCall } from "../stand-ins/bot-api.ts";
import { alice, bob, type Harness, startHarness } from "./harness.ts";

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(() => h.close());

/** Asks for a reboot and returns the confirmation message and its confirm button's data. */
async function askReboot(): Promise<{ messageId: number; confirm: string }> {
  h.api.push(h.api.textUpdate(alice, "Перезагрузи первую машину"));
  const sent = await h.api.waitForCall((c) => c.method === "sendMessage" && c.ok);
  const markup = sent.params["reply_markup"] as {
    inline_keyboard: { text: string; callback_data: string }[][];
  };
  const stored = [...h.api.state.messages.values()].find((m) => m.chat_id === alice.id && m.reply_markup);
  expect(markup.inline_keyboard[0]?.[0]).toEqual({ text: "✅ Перезагрузить vm1", callback_data: "cf:1:y" });
  return { messageId: stored?.message_id ?? -1, confirm: "cf:1:y" };
}

const answers = () => h.api.callsOf("answerCallbackQuery");
const waitAnswer = (n: number) =>
  h.api.waitForCall(() => answers().length >= n && answers().every((c) => c.ok));
const buttonsOf = (messageId: number) =>
  h.api.message(alice.id, messageId)?.reply_markup?.inline_keyboard ?? [];
const lastText = (chatId: number): string | undefined =>
  h.api.calls.filter((c: RecordedCall) => c.method === "sendMessage" && c.params["chat_id"] === chatId).at(-1)
    ?.params["text"] as string | undefined;

describe("a confirmation", () => {
  it("accepted by the requester runs once, answers the press and removes the buttons", async () => {
    const { messageId, confirm } = await askReboot();
    expect(h.desk.executed).toHaveLength(0);
    h.api.push(h.api.callbackUpdate(alice, { chat_id: alice.id, message_id: messageId }, confirm));
    await h.api.waitForCall(
      (c) => c.method === "sendMessage" && String(c.params["text"]).includes("перезагружается"),
    );
    expect(h.desk.buttons[0]?.actor).toMatchObject({ kind: "telegram", id: "1001", role: "admin" });
    expect(h.desk.executed).toEqual([{ action: "reboot", target: "vm1", by: "1001" }]);
    expect(answers()[0]?.params["text"]).toBe("✅ vm1 перезагружается.");
    expect(buttonsOf(messageId)).toEqual([]);
  });

  it("pressed after 60 s is refused, nothing runs, and the dead buttons go", async () => {
    const { messageId, confirm } = await askReboot();
    h.clock.advance(61_000);
    h.api.push(h.api.callbackUpdate(alice, { chat_id: alice.id, message_id: messageId }, confirm));
    await waitAnswer(1);
    await h.api.waitForCall(
      (c) => c.method === "sendMessage" && String(c.params["text"]).includes("истекло"),
    );
    expect(h.desk.executed).toHaveLength(0);
    expect(answers()[0]?.params["text"]).toContain("истекло");
    expect(buttonsOf(messageId)).toEqual([]);
  });

  it("pressed by another user is refused by the desk with the presser's actor; the requester's chat is untouched", async () => {
    const { messageId, confirm } = await askReboot();
    const before = h.api.calls.filter((c) => c.params["chat_id"] === alice.id).length;
    h.api.push(h.api.callbackUpdate(bob, { chat_id: alice.id, message_id: messageId }, confirm));
    await waitAnswer(1);
    expect(h.desk.buttons[0]?.actor).toMatchObject({ id: "1002", role: "operator" });
    expect(answers()[0]?.params["text"]).toBe("⛔ Подтвердить может только тот, кто просил.");
    expect(h.desk.executed).toHaveLength(0);
    expect(h.api.calls.filter((c) => c.params["chat_id"] === alice.id).length).toBe(before);
    expect(buttonsOf(messageId)).toHaveLength(1);
    // The requester can still confirm.
    h.api.push(h.api.callbackUpdate(alice, { chat_id: alice.id, message_id: messageId }, confirm));
    await waitAnswer(2);
    expect(h.desk.executed).toEqual([{ action: "reboot", target: "vm1", by: "1001" }]);
  });

  it("pressed twice runs once; the second press is answered as already handled", async () => {
    const { messageId, confirm } = await askReboot();
    h.api.push(h.api.callbackUpdate(alice, { chat_id: alice.id, message_id: messageId }, confirm));
    h.api.push(h.api.callbackUpdate(alice, { chat_id: alice.id, message_id: messageId }, confirm));
    await waitAnswer(2);
    await h.api.waitForCall(
      (c) => c.method === "sendMessage" && String(c.params["text"]).includes("Уже обработано"),
    );
    expect(h.desk.executed).toHaveLength(1);
    expect(answers().map((c) => c.params["text"])).toEqual(["✅ vm1 перезагружается.", "Уже обработано."]);
    expect(lastText(alice.id)).toBe("Уже обработано.");
    // The second removal of already removed buttons is "not modified" and is not reported as an error.
    expect(h.errors).toEqual([]);
  });

  it("a slow decision still answers the spinner within the bound, then shows the outcome", async () => {
    await h.close();
    h = await startHarness({ buttonAnswerMs: 50 });
    const { messageId, confirm } = await askReboot();
    const handle = h.desk.handleButton.bind(h.desk);
    h.desk.handleButton = async (request) => {
      await new Promise((resolve) => setTimeout(resolve, 300));
      return handle(request);
    };
    h.api.push(h.api.callbackUpdate(alice, { chat_id: alice.id, message_id: messageId }, confirm));
    const answer = await h.api.waitForCall((c) => c.method === "answerCallbackQuery");
    expect(answer.params["text"]).toBe("⏳ Выполняю…");
    await h.api.waitForCall(
      (c) => c.method === "sendMessage" && String(c.params["text"]).includes("перезагружается"),
    );
    expect(answers()).toHaveLength(1);
  });

  it("an alert's button pressed by an admin reaches the desk with that admin's actor", async () => {
    const notifier = createTelegramNotifier({ api: h.bot.api, adminChatIds: [alice.id], defaultLang: "ru" });
    await notifier.notify({
      key: "vm-down:vm2",
      severity: "critical",
      text: { ru: "vm2 не отвечает 3 мин", en: "vm2 silent for 3 min" },
      buttons: [[{ label: "🔁 Перезагрузить vm2", data: "alert:vm2:reboot" }]],
    });
    const alert = await h.api.waitForCall((c) => c.method === "sendMessage" && c.ok);
    const stored = [...h.api.state.messages.values()].find((m) => m.chat_id === alice.id && m.reply_markup);
    expect(alert.params["text"]).toBe("🚨 vm2 не отвечает 3 мин");
    h.api.push(
      h.api.callbackUpdate(
        alice,
        { chat_id: alice.id, message_id: stored?.message_id ?? -1 },
        "alert:vm2:reboot",
      ),
    );
    await waitAnswer(1);
    expect(h.desk.buttons).toEqual([
      {
        actor: { kind: "telegram", id: "1001", role: "admin", name: "alice" },
        data: "alert:vm2:reboot",
        lang: "ru",
        // Pressed in the admin's own chat: what the press runs may show its steps there.
        onProgress: expect.any(Function),
      },
    ]);
    await h.api.waitForCall((c) => c.method === "editMessageReplyMarkup");
    expect(buttonsOf(stored?.message_id ?? -1)).toEqual([]);
  });
});
