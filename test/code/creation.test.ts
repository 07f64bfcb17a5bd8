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
import { buildHelper, type CreationWorld, creationTokens, startCreationWorld } from "./creation-world.ts";

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

  it("case 8: a script is written, checked, scheduled as a timer (list-timers shows 03:00), run once on a separate confirmation with its output", async () => {
    w.llm.script(
      anthropicReply("", [
        {
          id: "s1",
          name: "propose_change",
          input: {
            summary: "Скрипт удаляет .log старше 7 дней в /srv/app-logs.",
            name: "clean-logs",
            files: [{ path: "script.sh", content: cleanLogs }],
          },
        },
      ]),
    );
    const ask = await w.api("/agent/ask", {
      text: "напиши скрипт, который удаляет логи старше 7 дней в /srv/app-logs, и запускай его каждую ночь в 3",
    });
    expect(ask.status, JSON.stringify(ask.body)).toBe(202);
    expect(ask.body.text).toContain("Новый скрипт clean-logs на vm1");
    expect(ask.body.text).toContain("OnCalendar=*-*-* 03:00:00");
    expect(ask.body.text).toContain("ExecStart=/bin/bash /opt/voxops-scripts/clean-logs.sh");
    expect(ask.body.text).toContain("User=opsjob");
    expect(ask.body.text).toContain("ReadWritePaths=/srv/app-logs");
    const created = await w.api(`/agent/code/apply/${ask.body.confirmationId}`, { lang: "ru" });
    expect(created.status, created.body.text).toBe(200);
    expect(created.body.text).toContain(
      "Скрипт clean-logs записан на vm1: /opt/voxops-scripts/clean-logs.sh",
    );
    expect(created.body.text).toContain("bash -n script.sh");
    expect(created.body.text).toContain(
      "Таймер voxops-made-clean-logs.timer включён: OnCalendar=*-*-* 03:00:00",
    );
    expect(created.body.text).toMatch(/следующий запуск \S+ \d{4}-\d\d-\d\d 03:00:00/);
    // Scheduled, not run: the old log is still there.
    const timers = await w.sbx.exec([
      "systemctl",
      "list-timers",
      "--all",
      "--no-pager",
      "voxops-made-clean-logs.timer",
    ]);
    expect(timers).toMatch(
      /\d{4}-\d\d-\d\d 03:00:00 .* voxops-made-clean-logs\.timer\s+voxops-made-clean-logs\.service/,
    );
    expect((await w.sbx.run(["test", "-e", "/srv/app-logs/old.log"])).code).toBe(0);

    // Running it once is its own confirmation: only the requester, once.
    const runId = created.body.runConfirmationId as string;
    expect(runId).toBeTruthy();
    const stranger = await w.api(`/agent/code/apply/${runId}`, {}, creationTokens.other);
    expect(stranger.status).toBe(409);
    expect((await w.sbx.run(["test", "-e", "/srv/app-logs/old.log"])).code).toBe(0);
    const ran = await w.api(`/agent/code/apply/${runId}`, { lang: "ru" });
    expect(ran.status, ran.body.text).toBe(200);
    expect(ran.body.text).toContain("Скрипт clean-logs выполнен на vm1 (код 0");
    expect(ran.body.text).toContain("/srv/app-logs/old.log");
    expect(ran.body.text).toContain("clean-logs: done");
    expect((await w.sbx.run(["test", "-e", "/srv/app-logs/old.log"])).code).not.toBe(0);
    expect((await w.sbx.run(["test", "-e", "/srv/app-logs/new.log"])).code).toBe(0);
    expect((await w.api(`/agent/code/apply/${runId}`, {})).status).toBe(409);

    // Listed, with the timer's next run, and removable.
    const list = await w.api("/agent/ask", { text: "что создал voxops" });
    expect(JSON.stringify(list.body), JSON.stringify(list.body)).toContain("voxops-made-clean-logs.timer");
  }, 120_000);

  it("a script that fails bash -n is not installed, and the check's output is shown", async () => {
    w.llm.script(
      anthropicReply("", [
        {
          id: "b1",
          name: "propose_change",
          input: {
            summary: "Broken script.",
            name: "broken-job",
            files: [{ path: "script.sh", content: "#!/bin/bash\nif then fi\n" }],
          },
        },
      ]),
    );
    const ask = await w.api("/agent/ask", { text: "write a script that says hello" });
    expect(ask.status, JSON.stringify(ask.body)).toBe(202);
    expect(ask.body.text).toContain("No schedule: it runs only when you ask.");
    const r = await w.api(`/agent/code/apply/${ask.body.confirmationId}`, {});
    expect(r.status).toBe(409);
    expect(r.body.text).toContain("broken-job was not created: bash -n script.sh failed");
    expect(r.body.text).toContain("syntax error");
    expect(
      (await w.sbx.run(["test", "-e", "/etc/systemd/system/voxops-made-broken-job.service"])).code,
    ).not.toBe(0);
    expect((await w.sbx.run(["test", "-e", "/opt/voxops-scripts/broken-job.sh"])).code).not.toBe(0);
  }, 60_000);

  it("refuses at the desk: names with shell characters, ports outside the range, taken names, schedules it cannot read, missing names", async () => {
    const calls = w.llm.received.length;
    const shell = await w.api("/agent/ask", { text: `create a service echo;rm on port ${w.port}` });
    expect(shell.body.text).toContain('The name "echo;rm" is refused');
    const range = await w.api("/agent/ask", { text: `create a service other on port ${w.port - 1}` });
    expect(range.body.text).toContain(`Port ${w.port - 1} is outside the range ${w.port}-${w.port}`);
    const taken = await w.api("/agent/ask", { text: `создай сервис echo на порту ${w.port}` });
    expect(taken.body.text).toContain("Имя echo уже занято на vm1");
    const when = await w.api("/agent/ask", { text: "write a script that prints the date every 90 minutes" });
    expect(when.body.text).toContain("I could not read when the script should run");
    const noName = await w.api("/agent/ask", { text: "create a new service on port 9100" });
    expect(noName.body.text).toContain("What should the service be called?");
    expect(w.llm.received.length).toBe(calls); // none of these reached the model
  }, 30_000);

  it("refuses in the root helper, from the root-owned inventory and registry: bad names, existing units, ports, staging paths, schedules", async () => {
    await buildHelper();
    await w.sbx.exec(["mkdir", "-p", "/var/lib/voxops/staging/t1"]);
    await w.sbx.writeFile("/var/lib/voxops/staging/t1/server.js", echoServer);
    await w.sbx.exec(["mkdir", "-p", "/var/lib/voxops/staging/t2"]);
    await w.sbx.writeFile("/var/lib/voxops/staging/t2/script.sh", "#!/bin/bash\necho hi\n");
    const svc = (name: string, port: number, staging = "/var/lib/voxops/staging/t1") =>
      w.helper(["create-service", name, String(port), "server.js", "/", staging], "a request");
    const cases: [() => Promise<{ code: number; stderr: string }>, RegExp][] = [
      [() => svc("echo;rm", w.port), /refused name "echo;rm"/],
      [() => svc("dbus", w.port), /a unit named dbus\.service already exists/],
      [() => svc("echo", w.port), /voxops already created echo/],
      [() => svc("other", w.port - 1), /outside the range/],
      [() => svc("other", w.port), /port \d+ is already in use/],
      [() => svc("other", w.port, "/etc"), /is not under \/var\/lib\/voxops\/staging\//],
      [
        () =>
          w.helper(
            ["create-script", "nightly", "bash", "/var/lib/voxops/staging/t2", "every full moon"],
            "x",
          ),
        /systemd does not accept the schedule every full moon/,
      ],
      [
        () =>
          w.helper(
            [
              "create-script",
              "nightly",
              "bash",
              "/var/lib/voxops/staging/t2",
              "*-*-* 03:00:00\nExecStart=/bin/sh",
            ],
            "x",
          ),
        /is not a calendar expression/,
      ],
      [() => w.helper(["remove-created", "dbus"], ""), /voxops created nothing called dbus/],
    ];
    for (const [run, reason] of cases) {
      const r = await run();
      expect(r.code, r.stderr).toBe(3);
      expect(r.stderr).toMatch(reason);
    }
    expect(
      (await w.sbx.exec(["ls", "/etc/systemd/system"]))
        .split("\n")
        .filter((f) => f.includes("voxops-made-other")),
    ).toEqual([]);
    // What the inventory allows, the helper does: a script with its timer, then its removal.
    const made = await w.helper(
      ["create-script", "helper-made", "bash", "/var/lib/voxops/staging/t2", "*-*-* 04:30:00"],
      "made by the helper",
    );
    expect(made.code, made.stderr).toBe(0);
    expect(JSON.parse(made.stdout.trim().split("\n").at(-1) ?? "{}")).toMatchObject({
      name: "helper-made",
      timer: "voxops-made-helper-made.timer",
      path: "/opt/voxops-scripts/helper-made.sh",
      request: "made by the helper",
    });
    expect(
      await w.sbx.exec(["systemctl", "list-timers", "--all", "--no-pager", "voxops-made-helper-made.timer"]),
    ).toMatch(/04:30:00/);
    const gone = await w.helper(["remove-created", "helper-made"], "");
    expect(gone.code, gone.stderr).toBe(0);
    expect(
      (await w.sbx.run(["test", "-e", "/etc/systemd/system/voxops-made-helper-made.timer"])).code,
    ).not.toBe(0);
    expect((await w.sbx.run(["test", "-e", "/opt/voxops-scripts/helper-made.sh"])).code).not.toBe(0);
  }, 150_000);

  it("removes what it created on a confirmed request: the service's unit, files and record, and the name is free again", async () => {
    const ask = await w.api("/agent/code", { text: "удали сервис echo", lang: "ru" });
    expect(ask.status, JSON.stringify(ask.body)).toBe(202);
    expect(ask.body.readBack).toContain("Удалить сервис echo с vm1?");
    expect((await w.sbx.run(["test", "-e", "/srv/new/echo"])).code).toBe(0);
    const removed = await w.api(`/agent/code/apply/${ask.body.confirmationId}`, { lang: "ru" });
    expect(removed.status, removed.body.text).toBe(200);
    expect(removed.body.text).toContain("echo удалён с vm1");
    expect((await w.sbx.run(["test", "-e", "/etc/systemd/system/voxops-made-echo.service"])).code).not.toBe(
      0,
    );
    expect((await w.sbx.run(["test", "-e", "/srv/new/echo"])).code).not.toBe(0);
    expect((await post(w.port, "x")).status).toBe(0);
    const unknown = await w.api("/agent/ask", { text: "перезапусти echo" });
    expect(JSON.stringify(unknown.body)).not.toContain("перезапущен");
  }, 60_000);

  it("a new service that does not come up is removed again: unit, files and record, and the reply quotes its journal", async () => {
    // echo was removed above: its port is free again.
    w.llm.script(
      anthropicReply("", [
        {
          id: "f1",
          name: "propose_change",
          input: {
            summary: "A service that fails at start.",
            entry: "main.py",
            files: [{ path: "main.py", content: 'raise SystemExit("flaky: cannot open the database")\n' }],
          },
        },
      ]),
    );
    const ask = await w.api("/agent/ask", { text: `create a service flaky on port ${w.port}` });
    expect(ask.status, JSON.stringify(ask.body)).toBe(202);
    expect(ask.body.text).toContain("ExecStart=/usr/bin/python3 /srv/new/flaky/main.py");
    const r = await w.api(`/agent/code/apply/${ask.body.confirmationId}`, {});
    expect(r.status).toBe(409);
    expect(r.body.text).toContain("flaky did not come up");
    expect(r.body.text).toContain("everything created was removed");
    expect(r.body.text).toContain("cannot open the database");
    expect((await w.sbx.run(["test", "-e", "/etc/systemd/system/voxops-made-flaky.service"])).code).not.toBe(
      0,
    );
    expect((await w.sbx.run(["test", "-e", "/srv/new/flaky"])).code).not.toBe(0);
    expect(await w.sbx.readFile("/etc/voxops/created.json")).not.toContain("flaky");
  }, 90_000);
});
