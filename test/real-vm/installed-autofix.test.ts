/**
 * Auto-fix on the sidecar as it is deployed: the real installer puts it on a real systemd 252 (the
 * shared sandbox) as the `voxops` user, with its polkit rule, sudo rule and root helper, and its own
 * watcher follows real journald. Small real services fail by themselves — a port held by a stale copy
 * and by another program, a declared package not installed, a deleted file, a full file system, a kernel
 * OOM kill under MemoryMax= (which systemd 252 records as 'signal' on this cgroup v1 memory controller;
 * the watcher reads the kernel's own record as the unprivileged voxops user) — and for
 * each the watcher finds it, plans, asks the controller (a Node host whose policy gate pre-approves
 * auto-fix, VOXOPS_AUTOFIX_APPROVAL=auto), the `fix` the controller dispatches repairs and verifies it,
 * and the admins read the outcome in Telegram (the Bot API stand-in; one admin writes Russian, one
 * English); or it reports and touches nothing where it must not act. One sandbox for the whole file.
 */
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testAutofix } from "../autofix/world.ts";
import { type BotApiStandIn, type StandInUser, startBotApiStandIn } from "../stand-ins/bot-api.ts";
import { repo } from "../support/child.ts";
import { latinOnlySentences } from "../support/latin-only-sentences.ts";
import { waitFor } from "../support/wait-for.ts";
import { type InstalledVm, startInstalledVm } from "./installed-vm.ts";

const alice: StandInUser = { id: 3101, first_name: "Алиса", language_code: "ru", username: "alice" };
const bob: StandInUser = { id: 3102, first_name: "Bob", language_code: "en", username: "bob" };

describe("auto-fix on the installed sidecar, triggered by its own watcher", () => {
  let vm: InstalledVm;
  let tg: BotApiStandIn;

  /** The texts Telegram got for one admin, newest last. */
  const sent = (user: StandInUser) =>
    tg
      .callsOf("sendMessage")
      .filter((c) => c.params["chat_id"] === user.id)
      .map((c) => String(c.params["text"] ?? ""));
  /** Waits for the alert about `service` that contains `marker` in each admin's language. */
  async function alerts(service: string, marker: { ru: string; en: string }) {
    const one = (user: StandInUser, m: string) =>
      waitFor(() => sent(user).find((t) => t.includes(service) && t.includes(m)), {
        timeoutMs: 90_000,
        what: `the alert to ${user.first_name} about ${service} (“${m}”); got: ${sent(user).slice(-4).join(" | ")}`,
      });
    return { ru: await one(alice, marker.ru), en: await one(bob, marker.en) };
  }
  /** The audit's story of the auto-fix of `service`, oldest first. */
  const story = (service: string) =>
    vm.host.controller.audit
      .recent(1000)
      .reverse()
      .filter((r) => r.actor.id === "autofix" && r.args?.["service"] === service)
      .map((r) => r.outcome);
  const active = async (unit: string) => (await vm.sbx.run(["systemctl", "is-active", unit])).stdout.trim();
  const journal = async (unit: string) =>
    (await vm.sbx.run(["journalctl", "-u", unit, "-o", "cat", "--no-pager"])).stdout;

  beforeAll(async () => {
    tg = await startBotApiStandIn();
    for (const u of [alice, bob]) tg.addUser(u);
    vm = await startInstalledVm({
      label: "installed-autofix",
      sidecarService:
        "Environment=VOXOPS_AUTOFIX=on VOXOPS_AUTOFIX_FILE=/etc/voxops-test/autofix.json VOXOPS_HEARTBEAT_S=1",
      controllerEnv: {
        TELEGRAM_BOT_TOKEN: tg.token,
        TELEGRAM_API_ROOT: tg.apiRoot,
        TELEGRAM_USERS: `${alice.id}:admin,${bob.id}:admin`,
        TELEGRAM_BOT_INFO: JSON.stringify(tg.botInfo),
        VOXOPS_AUTOFIX_APPROVAL: "auto",
      },
      extraPorts: ["web", "hog"],
      extraServices: (p) => [
        { name: "demo-web", port: p.web, workdir: "/srv/demo-web", health: `http://127.0.0.1:${p.web}/` },
        { name: "demo-hog", port: p.hog, health: `http://127.0.0.1:${p.hog}/` },
      ],
      async prepare(sbx, p) {
        // Short windows so a repair and its verification take seconds (the sidecar's settings file).
        await sbx.writeFile("/etc/voxops-test/autofix.json", JSON.stringify({ autofix: testAutofix }));
        // A VM's systemd writes its notes about units to the journal (the sandbox boots it logging to the console).
        await sbx.exec(["systemd-analyze", "set-log-target", "journal"]);
        await sbx.exec(["systemd-analyze", "set-log-level", "info"]);
        // demo-web: a small Node service of the user demo; another program will hold its port.
        await sbx.exec(["install", "-d", "-o", "demo", "-g", "demo", "/srv/demo-web"]);
        await sbx.writeFile(
          "/srv/demo-web/server.mjs",
          'import { createServer } from "node:http";\ncreateServer((q, s) => s.end("demo-web ok\\n")).listen(Number(process.env.PORT), "127.0.0.1", () => console.log("demo-web listening"));\nprocess.on("SIGTERM", () => process.exit(0));\n',
        );
        await sbx.writeFile(
          "/etc/systemd/system/demo-web.service",
          `[Service]\nUser=demo\nWorkingDirectory=/srv/demo-web\nEnvironment=PORT=${p.web}\nExecStart=/usr/bin/node /srv/demo-web/server.mjs\n`,
        );
        // demo-hog: its first start touches 200 MB under MemoryMax=32M, and the kernel's OOM killer ends it.
        await sbx.exec(["install", "-d", "-o", "demo", "-g", "demo", "/srv/demo-hog"]);
        await sbx.writeFile(
          "/srv/demo-hog/app.py",
          [
            "import http.server, os",
            "if not os.path.exists('/srv/demo-hog/hogged'):",
            "    open('/srv/demo-hog/hogged', 'w').close()",
            "    keep = b'x' * (200 * 1024 * 1024)",
            "class H(http.server.BaseHTTPRequestHandler):",
            "    def do_GET(self):",
            "        self.send_response(200); self.end_headers(); self.wfile.write(b'demo-hog ok')",
            "http.server.HTTPServer(('127.0.0.1', int(os.environ['PORT'])), H).serve_forever()",
            "",
          ].join("\n"),
        );
        await sbx.writeFile(
          "/etc/systemd/system/demo-hog.service",
          `[Service]\nUser=demo\nWorkingDirectory=/srv/demo-hog\nMemoryMax=32M\nEnvironment=PORT=${p.hog}\nExecStart=/usr/bin/python3 /srv/demo-hog/app.py\n`,
        );
        // demo-space logs to a real 256 KiB file system that an old rotated log fills up.
        await sbx.exec(["mount", "-t", "tmpfs", "-o", "size=256k,mode=0755", "tmpfs", "/var/log/demo-space"]);
        await sbx.exec([
          "sh",
          "-c",
          "cd /var/log/demo-space && echo today > app.log && gzip -c /dev/null > app.log.2.gz && (dd if=/dev/zero of=app.log.1 bs=4k 2>/dev/null || true) && chown demo:demo app.log app.log.1 app.log.2.gz",
        ]);
        await sbx.writeFile(
          "/etc/systemd/system/demo-space.service",
          `[Service]\nUser=demo\nEnvironment=PORT=${p.space}\nExecStart=/usr/bin/node ${join(repo, "test/real-vm/fixtures/demo-disk-full.mjs")}\n`,
        );
      },
    });
    // Each admin speaks to the bot once, so alerts reach them in their language.
    for (const [user, text] of [
      [alice, "статус"],
      [bob, "status"],
    ] as const) {
      tg.push(tg.textUpdate(user, text));
      await waitFor(() => sent(user).length > 0, {
        timeoutMs: 30_000,
        what: `the bot to answer ${user.first_name}`,
      });
    }
    // The file restore needs a backup in the real bare repository first.
    const backup = await vm.api("/agent/backup", { vm: "vm1", reason: "installed auto-fix suite" });
    expect(backup.status, JSON.stringify(backup.body)).toBe(200);
  }, 300_000);

  afterAll(async () => {
    await vm?.close();
    await tg?.close();
  }, 90_000);

  it("a port held by a stale copy of the service: the helper stops the copy, the unit restarts and is verified", async () => {
    const { sbx, ports } = vm;
    await sbx.exec(["systemctl", "stop", "demo-node.service"]);
    await sbx.exec([
      "systemd-run",
      "--unit=stale-demo-node",
      "--uid=demo",
      "--working-directory=/srv/demo-node",
      `--setenv=DEMO_PORT=${ports.node}`,
      "--setenv=DEMO_CONFIG=/etc/demo-node/demo.json",
      "/usr/bin/node",
      "/srv/demo-node/server.mjs",
    ]);
    await waitFor(async () => (await vm.get(ports.node)) !== "", { what: "the stale copy to listen" });
    const stalePid = (
      await sbx.exec(["systemctl", "show", "-p", "MainPID", "--value", "stale-demo-node"])
    ).trim();
    await sbx.run(["systemctl", "start", "demo-node.service"]);
    const text = await alerts("demo-node", { ru: "исправлено", en: "is repaired" });
    expect(await journal("demo-node.service")).toContain("EADDRINUSE");
    expect(text.ru).toContain(`остановил зависший экземпляр (pid ${stalePid}`);
    expect(text.ru).toContain(`занимавший порт ${ports.node}`);
    expect(text.ru).toContain("EADDRINUSE");
    expect(text.ru).toContain("Ошибка не вернулась");
    expect(text.en).toContain(`stopped the stale copy (pid ${stalePid}`);
    expect(text.en).toContain("The error did not come back");
    expect(latinOnlySentences(text.ru)).toEqual([]);
    expect(await active("stale-demo-node.service")).not.toBe("active");
    expect(await active("demo-node.service")).toBe("active");
    expect(await vm.get(ports.node)).toContain('"ok":true');
    const s = story("demo-node");
    expect(s.slice(0, 2)).toEqual(["requested", "approved"]);
    expect(s).toContain("applied");
  }, 150_000);

  it("a port held by another program: reports the holder, changes nothing, stops nothing", async () => {
    const { sbx } = vm;
    const ports = { web: vm.ports["web"] ?? 0 };
    await sbx.exec([
      "systemd-run",
      "--unit=squatter",
      "--uid=nobody",
      "/usr/bin/python3",
      "-m",
      "http.server",
      String(ports.web),
      "--bind",
      "127.0.0.1",
    ]);
    await waitFor(async () => (await vm.get(ports.web, "/")) !== "", { what: "the squatter to listen" });
    const squatterPid = (
      await sbx.exec(["systemctl", "show", "-p", "MainPID", "--value", "squatter"])
    ).trim();
    await sbx.run(["systemctl", "start", "demo-web.service"]);
    const text = await alerts("demo-web", { ru: "Ничего не менял", en: "Nothing was changed" });
    expect(text.ru).toContain(`порт ${ports.web} занят другой программой`);
    expect(text.ru).toContain(`pid ${squatterPid}`);
    expect(text.ru).toContain("python3");
    expect(text.en).toContain(`port ${ports.web} is held by another program`);
    expect(text.en).toContain(`pid ${squatterPid}`);
    expect(latinOnlySentences(text.ru)).toEqual([]);
    expect(await active("squatter.service")).toBe("active");
    expect((await sbx.exec(["systemctl", "show", "-p", "MainPID", "--value", "squatter"])).trim()).toBe(
      squatterPid,
    );
    expect(story("demo-web")).not.toContain("requested");
    await sbx.exec(["systemctl", "stop", "squatter.service"]);
  }, 150_000);

  it("an import error with the package declared in the manifest: installs offline as the owner, restarts, verifies", async () => {
    const { sbx, ports } = vm;
    await sbx.run(["systemctl", "start", "demo-imp.service"]);
    const text = await alerts("demo-imp", { ru: "исправлено", en: "is repaired" });
    expect(text.ru).toContain("greeting-lib");
    expect(text.ru).toContain("переустановил зависимости");
    expect(text.en).toContain("reinstalled the dependencies");
    expect(latinOnlySentences(text.ru)).toEqual([]);
    expect((await sbx.exec(["stat", "-c", "%U", "/srv/demo-imp/node_modules/greeting-lib"])).trim()).toBe(
      "demo",
    );
    expect(await vm.get(ports.imp)).toContain("hello from greeting-lib");
    expect(story("demo-imp")).toContain("applied");
  }, 150_000);

  it("a deleted file: restored from the real bare backup repository as its owner, restarted, verified", async () => {
    const { sbx, ports } = vm;
    await sbx.exec(["rm", "/srv/demo-py-data/settings.txt"]);
    await sbx.run(["systemctl", "restart", "demo-py.service"]);
    const text = await alerts("demo-py", { ru: "исправлено", en: "is repaired" });
    expect(text.ru).toContain("FileNotFoundError");
    expect(text.ru).toContain("восстановил /srv/demo-py-data/settings.txt из бэкапа");
    expect(text.en).toContain("restored /srv/demo-py-data/settings.txt from the backup");
    expect(latinOnlySentences(text.ru)).toEqual([]);
    expect(await sbx.readFile("/srv/demo-py-data/settings.txt")).toBe("py settings v1\n");
    expect((await sbx.exec(["stat", "-c", "%U", "/srv/demo-py-data/settings.txt"])).trim()).toBe("demo");
    expect(await vm.get(ports.py)).toContain("py settings v1");
  }, 150_000);

  it("a full file system: the journal is vacuumed and the rotated logs removed (never the live log), restarted, verified", async () => {
    const { sbx, ports } = vm;
    await sbx.run(["systemctl", "start", "demo-space.service"]);
    const text = await alerts("demo-space", { ru: "исправлено", en: "is repaired" });
    expect(await journal("demo-space.service")).toContain("ENOSPC: no space left on device, write");
    expect(text.ru).toContain("ENOSPC");
    expect(text.ru).toContain("освободил место");
    expect(text.en).toContain("freed space from the journal and rotated logs");
    expect(latinOnlySentences(text.ru)).toEqual([]);
    const left = (await sbx.exec(["ls", "/var/log/demo-space"])).trim().split("\n");
    expect(left).toEqual(["app.log"]);
    expect(await sbx.readFile("/var/log/demo-space/app.log")).toMatch(/^today\nstarted /);
    expect(await vm.get(ports.space, "/")).toContain("demo-space ok");
  }, 150_000);

  it("a kernel OOM kill under MemoryMax= (systemd records 'signal' on cgroup v1): found from the kernel's record as voxops, restarted, verified", async () => {
    const { sbx } = vm;
    const port = vm.ports["hog"] ?? 0;
    await sbx.run(["systemctl", "start", "demo-hog.service"]);
    const text = await alerts("demo-hog", { ru: "исправлено", en: "is repaired" });
    expect(await journal("demo-hog.service")).toContain("Failed with result 'signal'");
    expect(text.ru).toContain("сервису не хватило памяти");
    expect(text.ru).toContain("task_memcg=/system.slice/demo-hog.service");
    expect(text.en).toContain("the service ran out of memory");
    expect(text.en).toContain("restarted it and checked it runs");
    expect(latinOnlySentences(text.ru)).toEqual([]);
    expect(await vm.get(port, "/")).toBe("demo-hog ok");
  }, 150_000);
});
