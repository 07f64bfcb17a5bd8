/**
 * Per-step progress of a code change, on real parts: the sidecar under a real systemd reports each
 * step (snapshot, checks, restarting, verifying, …) as it starts; Telegram (the Bot API stand-in)
 * sees one status message edited through them in order and finally replaced by the outcome; the
 * HTTPS API returns the steps with their durations.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { anthropicReply } from "../llm/anthropic-stand-in.ts";
import { type BotApiStandIn, type StandInUser, startBotApiStandIn } from "../stand-ins/bot-api.ts";
import { type CodeWorld, startCodeWorld } from "./code-world.ts";

const alice: StandInUser = { id: 3001, first_name: "Алиса", language_code: "ru", username: "alice" };

const change = (id: string, replace: string) =>
  anthropicReply("", [
    {
      id,
      name: "propose_change",
      input: {
        summary: "404 отвечает иначе.",
        files: [{ path: "app.js", edits: [{ find: 'body: "not found"', replace }] }],
      },
    },
  ]);

/** The notes in the order the operator sees them, Russian. */
const ORDER = [
  "Сверяю файлы изменения",
  "Делаю снимок",
  "Записываю файлы",
  "Запускаю проверки",
  "Перезапускаю сервис",
  "Проверяю, что сервис здоров",
  "Делаю коммит",
  "Отправляю бэкап",
];

describe("progress of a code change, step by step", () => {
  let w: CodeWorld;
  let tg: BotApiStandIn;
  beforeAll(async () => {
    tg = await startBotApiStandIn();
    tg.addUser(alice);
    w = await startCodeWorld({
      TELEGRAM_BOT_TOKEN: tg.token,
      TELEGRAM_API_ROOT: tg.apiRoot,
      TELEGRAM_USERS: `${alice.id}:admin`,
      TELEGRAM_BOT_INFO: JSON.stringify(tg.botInfo),
    });
    await tg.waitForCall((c) => c.method === "deleteWebhook", 10_000);
  }, 180_000);
  afterAll(async () => {
    await w?.close();
    await tg?.close();
  });

  it("Apply in Telegram: one status message edited through the steps in order, then replaced by the outcome", async () => {
    w.llm.script(
      anthropicReply("", [
        {
          id: "p1",
          name: "propose_change",
          input: {
            summary: "Добавлен /progress.",
            endpoint: "/progress",
            files: [
              {
                path: "app.js",
                edits: [
                  {
                    find: '  if (path === "/")',
                    replace:
                      '  if (path === "/progress") return { status: 200, body: "steps" };\n  if (path === "/")',
                  },
                ],
              },
            ],
          },
        },
      ]),
    );
    const from = tg.calls.length;
    tg.push(tg.textUpdate(alice, "Добавь endpoint /progress в api"));
    await tg.waitForCall(
      (c) =>
        tg.calls.indexOf(c) >= from && String(JSON.stringify(c.params["reply_markup"] ?? "")).includes("ca:"),
      30_000,
    );
    const proposal = [...tg.state.messages.values()]
      .filter((m) => m.chat_id === alice.id && JSON.stringify(m.reply_markup ?? {}).includes('"ca:'))
      .at(-1);
    const button = proposal?.reply_markup?.inline_keyboard?.[0]?.[0];
    const data = button && "callback_data" in button ? String(button.callback_data) : "";
    const pressed = tg.calls.length;
    tg.push(tg.callbackUpdate(alice, { chat_id: alice.id, message_id: proposal?.message_id ?? -1 }, data));
    const done = await tg.waitForCall(
      (c) => tg.calls.indexOf(c) >= pressed && /Изменение применено/.test(String(c.params["text"] ?? "")),
      90_000,
    );
    expect(await w.get("/progress")).toEqual({ status: 200, body: "steps" });
    // Everything shown in Alice's chat after the press, in order: a status message, its edits, the outcome.
    const shown = tg.calls
      .slice(pressed, tg.calls.indexOf(done) + 1)
      .filter((c) => /^(sendMessage|editMessageText)$/.test(c.method) && c.params["chat_id"] === alice.id);
    // One new message (the status), then only edits of one message: the status message.
    expect(shown[0]?.method).toBe("sendMessage");
    expect(shown.filter((c) => c.method === "sendMessage")).toHaveLength(1);
    const statusId = shown[1]?.params["message_id"];
    expect(statusId).toBeTypeOf("number");
    for (const c of shown.slice(1)) {
      expect(c.method).toBe("editMessageText");
      expect(c.params["message_id"]).toBe(statusId);
    }
    expect(shown.at(-1)).toBe(done);
    expect(JSON.stringify(done.params["reply_markup"] ?? "")).toContain('"cf:');
    const notes = shown.slice(0, -1).map((c) => String(c.params["text"]));
    const positions = notes.map((n) => ORDER.findIndex((o) => n.includes(o)));
    expect(
      positions.every((p) => p >= 0),
      notes.join(" | "),
    ).toBe(true);
    // In order (the status message shows the latest note, so a quick step may be skipped, never reordered).
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    // Restarting and verifying take seconds each, so they are always seen; nothing names an action.
    expect(positions).toContain(ORDER.indexOf("Перезапускаю сервис"));
    expect(positions).toContain(ORDER.indexOf("Проверяю, что сервис здоров"));
    expect(notes.join("\n")).not.toMatch(/code-apply|⏳ ⏳/);
    expect(tg.message(alice.id, Number(statusId))?.text ?? "").toContain("Изменение применено");
  }, 120_000);

  it("the API's answer carries the steps with their durations; a rollback shows its own step", async () => {
    w.clock.advance(11 * 60_000);
    w.llm.script(change("p2", 'body: "gone"'));
    const ask = await w.api("/agent/code", { service: "api", text: "404 says gone" });
    expect(ask.status, JSON.stringify(ask.body)).toBe(202);
    // The proposal's own steps: the engine reading (here: the model's first answer) and proposing.
    const asked = ask.body.steps as { step: string; ms: number }[];
    expect(asked.map((s) => s.step)).toEqual(["reading", "proposing"]);
    for (const s of asked) expect(s.ms).toBeGreaterThanOrEqual(0);
    const applied = await w.api(`/agent/code/apply/${ask.body.confirmationId}`);
    expect(applied.status, applied.body.text).toBe(200);
    const steps = applied.body.steps as { step: string; ms: number }[];
    expect(steps.map((s) => s.step)).toEqual([
      "checking-files",
      "snapshot",
      "writing",
      "checks",
      "restarting",
      "verifying",
      "committing",
      "backing-up",
    ]);
    for (const s of steps) expect(s.ms).toBeGreaterThanOrEqual(0);
    // Restarting waits for the unit to stay up: it cannot be instant.
    expect(steps.find((s) => s.step === "restarting")?.ms).toBeGreaterThan(100);

    // A change that passes the tests but crashes on start is rolled back.
    w.llm.script(
      anthropicReply("", [
        {
          id: "p3",
          name: "propose_change",
          input: {
            summary: "crash on start",
            files: [
              {
                path: "server.js",
                edits: [{ find: "const port =", replace: 'throw new Error("boom");\nconst port =' }],
              },
            ],
          },
        },
      ]),
    );
    const bad = await w.api("/agent/code", { service: "api", text: "break it" });
    expect(bad.status, JSON.stringify(bad.body)).toBe(202);
    const rolled = await w.api(`/agent/code/apply/${bad.body.confirmationId}`);
    expect(rolled.status).toBe(409);
    expect(rolled.body.text).toContain("rolled back");
    const names = (rolled.body.steps as { step: string }[]).map((s) => s.step);
    expect(names.slice(-3)).toEqual(["restarting", "verifying", "rolling-back"]);
    expect(await w.get("/nope")).toEqual({ status: 404, body: "gone" });
  }, 120_000);
});
