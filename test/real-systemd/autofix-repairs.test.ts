/**
 * Auto-fix end to end on a real systemd 252 with journald: small real services (Node and Python) fail in
 * the ways services really fail, and the sidecar's watcher and engine (test/real-systemd/autofix-runner.ts,
 * run inside the sandbox as a root unit: issue 10's unprivileged `voxops` user is not available to these
 * tests yet) find each, repair and verify it, or report without touching anything where they must not act.
 */
import { cpSync } from "node:fs";
import { resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testAutofix } from "../autofix/world.ts";
import { freePort } from "../sidecar-actions/harness.ts";
import { installUnit, type SystemdSandbox, spawnInside, startSandbox } from "../support/systemd-sandbox.ts";
import { waitFor } from "../support/wait-for.ts";

const here = import.meta.dirname;
const node24 = resolve(here, "..", "..", "node_modules", "node", "bin", "node");
const EVENTS = "/var/tmp/autofix-events.jsonl";

interface Sent {
  kind: string;
  data: Record<string, unknown> & {
    finding?: { rule?: string; facts?: Record<string, string> };
    plan?: { decision?: string; ask?: string; reason?: string };
    steps?: { kind: string; ok: boolean }[];
  };
}

/** A Node server on PORT that answers /health; `extra` runs first (it may exit). */
const nodeServer = (extra = "") =>
  `${extra}\nrequire("node:http").createServer((q, s) => s.end("ok")).listen(Number(process.env.PORT), "127.0.0.1", () => console.log("listening on", process.env.PORT));\nprocess.on("SIGTERM", () => process.exit(0));\n`;

describe("auto-fix on real services under real systemd", () => {
  let sbx: SystemdSandbox;
  const ports = { web: 0, web2: 0, api: 0, imp: 0, shop: 0, hog: 0 };
  const events = async (): Promise<Sent[]> =>
    (await sbx.readFile(EVENTS).catch(() => ""))
      .split("\n")
      .filter(Boolean)
      .map((l) => JSON.parse(l) as Sent);
  /** The first report about `service` of one of `kinds`. */
  const outcome = (service: string, kinds: string[]) =>
    waitFor(
      async () => (await events()).find((e) => e.data["service"] === service && kinds.includes(e.kind)),
      { timeoutMs: 60_000, what: `an auto-fix report about ${service}` },
    );
  const active = async (unit: string) => (await sbx.run(["systemctl", "is-active", unit])).stdout.trim();

  beforeAll(async () => {
    for (const k of Object.keys(ports) as (keyof typeof ports)[]) ports[k] = await freePort();
    sbx = await startSandbox("autofix-repairs");
    // A VM's systemd writes its notes about units to the journal (the sandbox boots it logging to the console).
    await sbx.exec(["systemd-analyze", "set-log-target", "journal"]);
    await sbx.exec(["systemd-analyze", "set-log-level", "info"]);
    const inventory = {
      vms: {
        vm1: {
          services: [
            { name: "web", port: ports.web, workdir: "/srv/web" },
            { name: "web2", port: ports.web2, workdir: "/srv/web2" },
            {
              name: "api",
              port: ports.api,
              backup: ["/srv/api/data"],
              health: `http://127.0.0.1:${ports.api}/health`,
            },
            { name: "imp", port: ports.imp, workdir: "/srv/imp", manifest: "/srv/imp/package.json" },
            { name: "shop", port: ports.shop, logs: ["/srv/shop/log/app.log"] },
            { name: "hog", port: ports.hog, health: `http://127.0.0.1:${ports.hog}/` },
          ],
        },
      },
      backup: { repo: "/srv/backup.git", branch: "main" },
    };
    await sbx.writeFile("/etc/voxops/inventory.json", JSON.stringify(inventory));
    await sbx.writeFile("/etc/voxops/autofix.json", JSON.stringify({ autofix: testAutofix }));
    await sbx.writeFile("/srv/web/server.js", nodeServer());
    await sbx.writeFile("/srv/web2/server.js", nodeServer());
    // api reads its config at start and dies without it, as Python does.
    await sbx.writeFile(
      "/srv/api/app.py",
      [
        "import http.server, json, os",
        "config = json.load(open('/srv/api/data/config.json'))",
        "class H(http.server.BaseHTTPRequestHandler):",
        "    def do_GET(self):",
        "        self.send_response(200); self.end_headers(); self.wfile.write(config['health'].encode())",
        "http.server.HTTPServer(('127.0.0.1', int(os.environ['PORT'])), H).serve_forever()",
        "",
      ].join("\n"),
    );
    await sbx.writeFile("/srv/api/data/config.json", '{"health": "ok from the backup"}\n');
    // shop logs to a real 512 KiB file system; its first start floods the log (rotating it like logrotate)
    // until the write fails with ENOSPC, as a service does on a full disk.
    await sbx.writeFile(
      "/srv/shop/app.py",
      [
        "import http.server, os",
        "log, marker = '/srv/shop/log/app.log', '/srv/shop/flooded'",
        "if not os.path.exists(marker):",
        "    open(marker, 'w').close()",
        "    n = 0",
        "    while True:",
        "        with open(log, 'a') as f:",
        "            f.write('x' * 1000 + '\\n')",
        "        if os.path.getsize(log) > 64 * 1024:",
        "            n += 1",
        "            os.rename(log, f'{log}.{n}')",
        "with open(log, 'a') as f:",
        "    f.write('started\\n')",
        "class H(http.server.BaseHTTPRequestHandler):",
        "    def do_GET(self):",
        "        self.send_response(200); self.end_headers(); self.wfile.write(b'ok')",
        "http.server.HTTPServer(('127.0.0.1', int(os.environ['PORT'])), H).serve_forever()",
        "",
      ].join("\n"),
    );
    // hog: its first start touches 200 MB under MemoryMax=32M, and the kernel's OOM killer ends it.
    await sbx.writeFile(
      "/srv/hog/app.py",
      [
        "import http.server, os",
        "if not os.path.exists('/srv/hog/hogged'):",
        "    open('/srv/hog/hogged', 'w').close()",
        "    keep = b'x' * (200 * 1024 * 1024)",
        "class H(http.server.BaseHTTPRequestHandler):",
        "    def do_GET(self):",
        "        self.send_response(200); self.end_headers(); self.wfile.write(b'ok')",
        "http.server.HTTPServer(('127.0.0.1', int(os.environ['PORT'])), H).serve_forever()",
        "",
      ].join("\n"),
    );
    await sbx.exec(["mkdir", "-p", "/srv/shop/log"]);
    await sbx.exec(["mount", "-t", "tmpfs", "-o", "size=512k", "tmpfs", "/srv/shop/log"]);
    cpSync(resolve(here, "..", "fixtures", "autofix", "import-app"), sbx.hostPath("/srv/imp"), {
      recursive: true,
    });
    await sbx.exec(["git", "init", "-q", "--bare", "-b", "main", "/srv/backup.git"]);
    const env = [
      "VOXOPS_STATE_DIR=/var/lib/voxops",
      "VOXOPS_AUTOFIX=on",
      "VOXOPS_AUTOFIX_FILE=/etc/voxops/autofix.json",
      "npm_config_offline=true",
      "npm_config_cache=/var/tmp/npm-cache",
      "npm_config_update_notifier=false",
      "HOME=/root",
    ];
    const runner = resolve(here, "autofix-runner.ts");
    await installUnit(
      sbx,
      "voxops-backup-once.service",
      `[Service]\nType=oneshot\n${env.map((e) => `Environment=${e}\n`).join("")}ExecStart=${node24} ${runner} /etc/voxops/inventory.json ${EVENTS} backup\n`,
    );
    await sbx.exec(["systemctl", "start", "voxops-backup-once.service"], { timeoutMs: 60_000 });
    await installUnit(
      sbx,
      "voxops-autofix.service",
      `[Service]\nType=exec\n${env.map((e) => `Environment=${e}\n`).join("")}ExecStart=${node24} ${runner} /etc/voxops/inventory.json ${EVENTS}\n`,
    );
    const unit = (name: string, exec: string, port: number, extra = "") =>
      installUnit(
        sbx,
        `${name}.service`,
        `[Service]\nType=exec\nEnvironment=PORT=${port}\n${extra}ExecStart=${exec}\n`,
      );
    await unit("web", "/usr/bin/node /srv/web/server.js", ports.web, "WorkingDirectory=/srv/web\n");
    await unit("web2", "/usr/bin/node /srv/web2/server.js", ports.web2, "WorkingDirectory=/srv/web2\n");
    await unit("api", "/usr/bin/python3 /srv/api/app.py", ports.api);
    await unit("imp", "/usr/bin/node /srv/imp/server.mjs", ports.imp, "WorkingDirectory=/srv/imp\n");
    await unit("shop", "/usr/bin/python3 /srv/shop/app.py", ports.shop);
    await unit("hog", "/usr/bin/python3 /srv/hog/app.py", ports.hog, "MemoryMax=32M\n");
    await unit("squatter", `/usr/bin/python3 -m http.server ${ports.web} --bind 127.0.0.1`, ports.web);
    await sbx.exec(["systemctl", "start", "voxops-autofix.service"]);
    await waitFor(async () => (await events()).some((e) => e.kind === "runner.started"), {
      timeoutMs: 30_000,
      what: "the auto-fix runner to start",
    });
  }, 120_000);
  afterAll(async () => {
    await sbx?.stop();
  });

  it("made a real backup into the bare repository", async () => {
    expect((await events()).find((e) => e.kind === "backup.done")).toBeDefined();
    expect(await sbx.exec(["git", "--git-dir=/srv/backup.git", "log", "--oneline"])).not.toBe("");
  });

  it("a port held by another program: reports who holds it and stops nothing", async () => {
    await sbx.exec(["systemctl", "start", "squatter.service"]);
    await waitFor(async () => (await active("squatter.service")) === "active", { what: "the squatter" });
    await new Promise((r) => setTimeout(r, 500));
    await sbx.run(["systemctl", "start", "web.service"]);
    const e = await outcome("web", ["finding", "fix.applied", "fix.failed", "fix.request"]);
    expect(e.kind).toBe("finding");
    expect(e.data.finding).toMatchObject({ rule: "port-in-use", facts: { port: String(ports.web) } });
    expect(e.data.plan?.decision).toBe("report");
    expect(e.data.plan?.ask).toContain("python3");
    expect(await active("squatter.service")).toBe("active");
  }, 90_000);

  it("a port held by a stale copy of the service: stops the copy, restarts, verifies", async () => {
    const stale = spawnInside(sbx, [
      "env",
      "-C",
      "/srv/web2",
      `PORT=${ports.web2}`,
      "/usr/bin/node",
      "/srv/web2/server.js",
    ]);
    try {
      await waitFor(
        async () => (await fetch(`http://127.0.0.1:${ports.web2}/`).catch(() => null))?.ok === true,
        {
          what: "the stale copy to listen",
        },
      );
      await sbx.run(["systemctl", "start", "web2.service"]);
      const e = await outcome("web2", ["finding", "fix.applied", "fix.failed"]);
      expect(e.kind).toBe("fix.applied");
      expect(e.data.steps?.map((s) => [s.kind, s.ok])).toEqual([
        ["stop-stale-process", true],
        ["restart", true],
      ]);
      expect(await active("web2.service")).toBe("active");
    } finally {
      stale.kill("SIGKILL");
    }
  }, 90_000);

  it("a deleted file: restores it from the real bare backup repository, restarts, verifies", async () => {
    await sbx.exec(["rm", "/srv/api/data/config.json"]);
    await sbx.run(["systemctl", "start", "api.service"]);
    const e = await outcome("api", ["finding", "fix.applied", "fix.failed"]);
    expect(e.kind).toBe("fix.applied");
    expect(e.data.finding).toMatchObject({
      rule: "file-not-found",
      facts: { path: "/srv/api/data/config.json" },
    });
    expect(e.data.steps?.map((s) => [s.kind, s.ok])).toEqual([
      ["restore-file", true],
      ["restart", true],
    ]);
    expect(await sbx.readFile("/srv/api/data/config.json")).toBe('{"health": "ok from the backup"}\n');
    expect(await (await fetch(`http://127.0.0.1:${ports.api}/health`)).text()).toBe("ok from the backup");
  }, 90_000);

  it("an import error with the package declared in the manifest: installs offline, restarts, verifies", async () => {
    await sbx.run(["systemctl", "start", "imp.service"]);
    const e = await outcome("imp", ["finding", "fix.applied", "fix.failed"]);
    expect(e.kind).toBe("fix.applied");
    expect(e.data.finding).toMatchObject({ rule: "import-error", facts: { module: "greeting-lib" } });
    expect(e.data.steps?.map((s) => [s.kind, s.ok])).toEqual([
      ["install-deps", true],
      ["restart", true],
    ]);
    expect((await fetch(`http://127.0.0.1:${ports.imp}/`)).ok).toBe(true);
  }, 120_000);

  it("a full disk: removes the rotated logs (never the live log), vacuums the journal, restarts, verifies", async () => {
    await sbx.run(["systemctl", "start", "shop.service"]);
    const e = await outcome("shop", ["finding", "fix.applied", "fix.failed"]);
    expect(e.kind).toBe("fix.applied");
    expect(e.data.finding).toMatchObject({ rule: "out-of-space" });
    expect(e.data.steps?.map((s) => [s.kind, s.ok])).toEqual([
      ["reclaim-space", true],
      ["restart", true],
    ]);
    const left = (await sbx.exec(["ls", "/srv/shop/log"])).split("\n").filter(Boolean);
    expect(left).toEqual(["app.log"]);
    expect(await sbx.readFile("/srv/shop/log/app.log")).toContain("started");
    expect((await fetch(`http://127.0.0.1:${ports.shop}/`)).ok).toBe(true);
  }, 90_000);

  it("a kernel OOM kill under MemoryMax= (recorded by systemd as 'signal' on cgroup v1): the kernel's record decides, restart, verify", async () => {
    await sbx.run(["systemctl", "start", "hog.service"]);
    const e = await outcome("hog", ["finding", "fix.applied", "fix.failed"]);
    // What systemd 252 wrote: the memory controller here is cgroup v1, so no 'oom-kill' result.
    const unitLog = await sbx.exec(["journalctl", "-u", "hog.service", "-o", "cat", "--no-pager"]);
    expect(unitLog).toContain("hog.service: Main process exited, code=killed, status=9/KILL");
    expect(unitLog).toContain("hog.service: Failed with result 'signal'.");
    expect(e.kind).toBe("fix.applied");
    expect(e.data.finding).toMatchObject({ rule: "out-of-memory" });
    expect(JSON.stringify(e.data.finding)).toContain("task_memcg=/system.slice/hog.service");
    expect(e.data.steps?.map((s) => [s.kind, s.ok])).toEqual([["restart", true]]);
    expect((await fetch(`http://127.0.0.1:${ports.hog}/`)).ok).toBe(true);
  }, 90_000);
});
