import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { setBotCommands } from "../../edge/telegram/bot-commands.ts";
import { alice, bob, chatLog, type Harness, startHarness } from "./harness.ts";

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(() => h.close());

describe("a text command", () => {
  it("goes to the desk with the sender's actor and comes back escaped, in the operator's language", async () => {
    h.api.push(h.api.textUpdate(alice, "Проверь статус всех сервисов"));
    const sent = await h.api.waitForCall((c) => c.method === "sendMessage" && c.ok);
    expect(h.desk.texts[0]).toMatchObject({
      actor: { kind: "telegram", id: "1001", role: "admin", name: "alice" },
      text: "Проверь статус всех сервисов",
      lang: "ru",
    });
    expect(sent.params).toMatchObject({
      chat_id: alice.id,
      parse_mode: "HTML",
      text: "vm1: 4/4 активны, нагрузка &lt;1 &amp; ок\nvm2: 4/4 активны",
    });
    expect(h.api.callsOf("sendChatAction")[0]?.params).toMatchObject({ chat_id: alice.id, action: "typing" });
  });

  it("answers an English command in English to a user whose Telegram is English", async () => {
    h.api.push(h.api.textUpdate(bob, "Check the status of all services"));
    const sent = await h.api.waitForCall((c) => c.method === "sendMessage" && c.ok);
    expect(h.desk.texts[0]).toMatchObject({ actor: { id: "1002", role: "operator" }, lang: "en" });
    expect(sent.params["text"]).toContain("vm1: 4/4 active");
  });

  it("shows progress in one status message that becomes the answer", async () => {
    h.api.push(h.api.textUpdate(bob, "restart grok-voice"));
    await h.api.waitForCall(
      (c) => c.method === "editMessageText" && String(c.params["text"]).includes("is active"),
    );
    const log = chatLog(h.api, bob.id);
    expect(log[0]).toEqual(["sendMessage", "⏳ restart grok-voice on vm1 …"]);
    expect(log.at(-1)).toEqual(["editMessageText", "✅ grok-voice is active (2.1 s)"]);
    expect(log.filter(([m]) => m === "sendMessage")).toHaveLength(1);
    const messageId = h.api.callsOf("editMessageText").at(-1)?.params["message_id"];
    expect(h.api.message(bob.id, Number(messageId))?.text).toBe("✅ grok-voice is active (2.1 s)");
  });

  it("/status asks the desk for the status of everything; /help answers in the user's language", async () => {
    h.api.push(h.api.textUpdate(alice, "/status"));
    await h.api.waitForCall((c) => c.method === "sendMessage" && c.ok);
    expect(h.desk.texts[0]?.text).toBe("Проверь статус всех сервисов");
    h.api.push(h.api.textUpdate(bob, "/help"));
    const help = await h.api.waitForCall((c) => c.method === "sendMessage" && c.params["chat_id"] === bob.id);
    expect(help.params["text"]).toContain("Restart grok-voice");
    expect(h.desk.texts).toHaveLength(1);
  });

  it("publishes the bot menu in English and Russian", async () => {
    await setBotCommands(h.bot.api);
    expect(h.api.state.commands.get("")?.map((c) => c.command)).toEqual(["status", "voice", "help", "start"]);
    expect(h.api.state.commands.get("ru")?.[0]?.description).toBe("Статус всех машин и сервисов");
  });

  it("tells the user when the desk fails, and reports the error", async () => {
    h.desk.handleText = async () => {
      throw new Error("understanding layer crashed");
    };
    h.api.push(h.api.textUpdate(alice, "статус"));
    const sent = await h.api.waitForCall((c) => c.method === "sendMessage");
    expect(sent.params["text"]).toBe(
      "⚠️ Не получилось обработать запрос (внутренняя ошибка). Попробуйте ещё раз.",
    );
    expect(String(h.errors[0])).toContain("understanding layer crashed");
  });

  it("cuts an answer that would exceed the 4096-character limit instead of failing", async () => {
    const long = "x".repeat(5000);
    h.desk.handleText = async () => ({ text: `<${long}>`, lang: "en" });
    h.api.push(h.api.textUpdate(bob, "logs"));
    const sent = await h.api.waitForCall((c) => c.method === "sendMessage");
    expect(sent.ok).toBe(true);
    expect(String(sent.params["text"]).endsWith("…")).toBe(true);
  });
});
