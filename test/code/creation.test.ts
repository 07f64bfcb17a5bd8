/**
 * Creating services and scripts by voice, end to end on real parts (issue 13, cases 7 and 8): a
 * real systemd (the sandbox) with a real sidecar; a Node controller asks the Anthropic stand-in
 * (scripted, real wire format) for the code; the operator confirms the files and the unit from the
 * template; the service is installed, started, answering, in status, usable by name and backed up;
 * the script is checked, scheduled as a timer and run once with its output. Refusals: names with
 * shell characters, names of existing units, ports outside the range, schedules that do not parse.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { anthropicReply } from "../llm/anthropic-stand-in.ts";
import { type BotApiStandIn, type StandInUser, startBotApiStandIn } from "../stand-ins/bot-api.ts";
import { type CreationWorld, creationTokens, startCreationWorld } from "./creation-world.ts";

const echoServer = `const http = require("node:http");
const port = Number(process.env.PORT);
http
  .createServer((req, res) => {
    const chunks = [];
    req.on("data", (c) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks);
      res.writeHead(200, { "content-type": "text/plain" });
      res.end(body.length > 0 ? body : "echo is up\\n");
    });
  })
  .listen(port, "127.0.0.1");
`;

const cleanLogs = `#!/bin/bash
set -eu
# Deletes log files older than 7 days and says which.
find /srv/app-logs -name '*.log' -type f -mtime +7 -print -delete
echo "clean-logs: done"
`;

const alice: StandInUser = { id: 3001, first_name: "Алиса", language_code: "ru", username: "alice" };
const bob: StandInUser = { id: 3002, first_name: "Bob", language_code: "en", username: "bob" };

describe("creating services and scripts on a real systemd", () => {
  let w: CreationWorld;
  let tg: BotApiStandIn;
  beforeAll(async () => {
    tg = await startBotApiStandIn();
    for (const u of [alice, bob]) tg.addUser(u);
    w = await startCreationWorld({
      TELEGRAM_BOT_TOKEN: tg.token,
      TELEGRAM_API_ROOT: tg.apiRoot,
      TELEGRAM_USERS: `${alice.id}:admin,${bob.id}:admin`,
      TELEGRAM_BOT_INFO: JSON.stringify(tg.botInfo),
    });
    await tg.waitForCall((c) => c.method === "deleteWebhook", 10_000);
  }, 180_000);
  afterAll(async () => {
    await w?.close();
    await tg?.close();
  });

  const post = async (port: number, body: string) => {
    const res = await fetch(`http://127.0.0.1:${port}/`, { method: "POST", body }).catch(() => null);
    return res ? { status: res.status, body: await res.text() } : { status: 0, body: "" };
  };

  it("case 7 from Telegram: a new service is proposed with its unit, created on Apply, answers, is in status, usable by name and backed up", async () => {
    w.llm.script(
      anthropicReply("", [
        {
          id: "n1",
          name: "propose_change",
          input: {
            summary: "Сервис echo: отвечает телом запроса.",
            entry: "server.js",
            files: [{ path: "server.js", content: echoServer }],
          },
        },
      ]),
    );
    const from = tg.calls.length;
    tg.push(tg.textUpdate(alice, `создай сервис echo на порту ${w.port}, который отвечает тем же`));
    await tg.waitForCall(
      (c) =>
        tg.calls.indexOf(c) >= from &&
        /^(sendMessage|editMessageText)$/.test(c.method) &&
        JSON.stringify(c.params["reply_markup"] ?? {}).includes('"ca:'),
      30_000,
    );
    const proposal = [...tg.state.messages.values()]
      .filter((m) => m.chat_id === alice.id && JSON.stringify(m.reply_markup ?? {}).includes('"ca:'))
      .at(-1);
    const text = proposal?.text ?? "";
    expect(text).toContain("Новый сервис echo на vm1");
    expect(text).toContain("+const http = require");
    expect(text).toContain("voxops-made-echo.service");
    expect(text).toContain("ExecStart=/usr/bin/node /srv/new/echo/server.js");
    expect(text).toContain("ProtectSystem=strict");
    expect(text).toContain("Restart=on-failure");
    expect(text).toContain("Создать?");
    // Nothing exists before Apply.
    expect((await w.sbx.run(["test", "-e", "/srv/new/echo"])).code).not.toBe(0);
    const apply = proposal?.reply_markup?.inline_keyboard?.[0]?.[0];
    const data = apply && "callback_data" in apply ? String(apply.callback_data) : "";
    expect(data).toMatch(/^ca:/);
    const message = { chat_id: alice.id, message_id: proposal?.message_id ?? -1 };

    const forged = tg.calls.length;
    tg.push(tg.callbackUpdate(bob, message, data));
    await tg.waitForCall((c) => c.method === "answerCallbackQuery" && tg.calls.indexOf(c) >= forged, 15_000);
    await new Promise((r) => setTimeout(r, 500));
    expect((await w.sbx.run(["test", "-e", "/etc/systemd/system/voxops-made-echo.service"])).code).not.toBe(
      0,
    );

    const pressed = tg.calls.length;
    tg.push(tg.callbackUpdate(alice, message, data));
    const done = await tg.waitForCall(
      (c) =>
        tg.calls.indexOf(c) >= pressed &&
        c.params["chat_id"] === alice.id &&
        /Сервис echo создан|не создан|Отказано|не поднялся/.test(String(c.params["text"] ?? "")),
      90_000,
    );
    const reply = String(done.params["text"]);
    expect(reply, reply).toContain("Сервис echo создан на vm1");
    expect(reply).toContain("node --check server.js");
    expect(reply).toContain("отвечает на порту");
    expect(reply).toContain("Бэкап отправлен");
    expect(await post(w.port, "ping")).toEqual({ status: 200, body: "ping" });
    expect((await w.sbx.exec(["systemctl", "is-enabled", "voxops-made-echo.service"])).trim()).toBe(
      "enabled",
    );
    const shown = await w.sbx.exec([
      "systemctl",
      "show",
      "-p",
      "DynamicUser",
      "-p",
      "NoNewPrivileges",
      "-p",
      "ProtectSystem",
      "voxops-made-echo.service",
    ]);
    expect(shown).toContain("DynamicUser=yes");
    expect(shown).toContain("NoNewPrivileges=yes");
    expect(shown).toContain("ProtectSystem=strict");
    // In the backup: the code and the unit file.
    const tree = await w.sbx.exec([
      "git",
      "--git-dir=/srv/backup.git",
      "ls-tree",
      "-r",
      "--name-only",
      "main",
    ]);
    expect(tree).toMatch(/srv\/new\/echo\/server\.js/);
    expect(tree).toMatch(/voxops-made-echo\.service/);

    // In status, and usable by name in the next command.
    const status = await w.api("/agent/vm/status?vm=vm1&live=1");
    expect(JSON.stringify(status.body)).toContain("echo");
    const pidBefore = (
      await w.sbx.exec(["systemctl", "show", "-p", "MainPID", "--value", "voxops-made-echo.service"])
    ).trim();
    const restarted = await w.api("/agent/ask", { text: "перезапусти echo" });
    expect(restarted.status, JSON.stringify(restarted.body)).toBe(200);
    expect(restarted.body.text).toContain("echo");
    const pidAfter = (
      await w.sbx.exec(["systemctl", "show", "-p", "MainPID", "--value", "voxops-made-echo.service"])
    ).trim();
    expect(pidAfter).not.toBe(pidBefore);
    expect(await post(w.port, "again")).toEqual({ status: 200, body: "again" });
  }, 180_000);
});
