/**
 * Programming on an installed VM (issue 13): the sidecar installed by the real installer runs as
 * `voxops`, and a service `shop` runs as its own user `shop`, whose tree `voxops` may read but not
 * write. Through the real controller's code routes, with an external coding agent (a scripted
 * stand-in) as the engine: the agent runs as `shop` in a scratch worktree, the change is written,
 * checked (a check records `id -un`), committed as `shop`; a change the tests refuse is rolled back;
 * a revert puts the previous version back. The boundary is shown from outside the sidecar's code:
 * as `voxops` the tree is not writable, and the root helper refuses what the inventory does not allow.
 * The agent needs a key (`agentEnv`) whose value is in /etc/voxops/agent.env: it reaches the agent and
 * no check, sidecar, journal, audit or git object; without it the request is refused in both
 * languages. A part of the tree `voxops` may not read is listed, read and searched as `shop`.
 */
import { createHash } from "node:crypto";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { repo } from "../support/child.ts";
import type { SystemdSandbox } from "../support/systemd-sandbox.ts";
import { type InstalledVm, startInstalledVm } from "./installed-vm.ts";

const HELPER = "/usr/lib/voxops/voxops-helper";
const ROOT = "/srv/shop";
const AGENT = "/opt/shop-agent/agent.cjs";
const fixture = join(repo, "test/fixtures/code/node-api");
/** The agent's key, as an operator puts it in /etc/voxops/agent.env; its value must reach the agent alone. */
const KEY_NAME = "SHOP_AGENT_KEY";
const KEY = "sk-shop-agent-0123456789abcdef";

let vm: InstalledVm;
let sbx: SystemdSandbox;
let port: number;
/** The revert offered for the first change. */
let revertId = "";

const actor = { kind: "api", id: "installed-code-test", role: "admin" } as const;
const cat = async (path: string) => (await sbx.run(["cat", path])).stdout;
const ownerOf = async (path: string) => (await sbx.exec(["stat", "-c", "%U", path])).trim();
const shopGit = (...args: string[]) => sbx.exec(["runuser", "-u", "shop", "--", "git", "-C", ROOT, ...args]);
const get = async (path: string) => {
  const res = await fetch(`http://127.0.0.1:${port}${path}`, { signal: AbortSignal.timeout(3000) }).catch(
    () => null,
  );
  return res ? { status: res.status, body: await res.text() } : { status: 0, body: "" };
};

/** Asks for a change to shop and applies the proposal; the proposal's and the apply's answers. */
async function change(text: string) {
  const proposed = await vm.api("/agent/code", { text, service: "shop", vm: "vm1" });
  expect(proposed.status, JSON.stringify(proposed.body)).toBe(202);
  const applied = await vm.api(`/agent/code/apply/${proposed.body.confirmationId}`, {});
  return { proposed: proposed.body, applied };
}

describe("programming on the installed VM, as the service's owner", () => {
  beforeAll(async () => {
    vm = await startInstalledVm({
      label: "real-vm-code",
      sidecarService: "Environment=VOXOPS_AUTOFIX=off VOXOPS_HEARTBEAT_S=1 VOXOPS_BACKUP_EVERY_H=0",
      extraPorts: ["shop"],
      extraServices: (ports) => [
        {
          name: "shop",
          health: `http://127.0.0.1:${ports["shop"]}/`,
          code: {
            root: ROOT,
            checks: [
              ["/usr/bin/node", "test.js"],
              // Records who ran the checks and their environment, in files the repository ignores.
              [
                "/usr/bin/node",
                "-e",
                "const fs = require('fs'); fs.writeFileSync('checked-by.txt', require('os').userInfo().username + '\\n'); fs.writeFileSync('checked-env.txt', JSON.stringify(process.env))",
              ],
            ],
            engine: {
              agent: ["/usr/bin/node", AGENT, "--needs", KEY_NAME, "{request}"],
              timeoutS: 60,
              agentEnv: [KEY_NAME],
            },
          },
        },
      ],
      prepare: async (s, ports) => {
        await s.exec([
          "useradd",
          "--system",
          "--home-dir",
          "/nonexistent",
          "--shell",
          "/usr/sbin/nologin",
          "shop",
        ]);
        await s.exec(["install", "-d", "-o", "shop", "-g", "shop", "-m", "0755", ROOT]);
        for (const f of ["app.js", "server.js", "test.js", "README.md", "package.json"])
          await s.exec([
            "install",
            "-o",
            "shop",
            "-g",
            "shop",
            "-m",
            "0644",
            join(fixture, f),
            `${ROOT}/${f}`,
          ]);
        // A directory in the tree that root keeps: the owner may not write there, so neither may a change.
        await s.exec(["install", "-d", "-o", "root", "-g", "root", "-m", "0755", `${ROOT}/vendor`]);
        await s.writeFile(`${ROOT}/.gitignore`, "checked-by.txt\nchecked-env.txt\nprivate/\n");
        // A part of the tree only shop may read (0750): a setting, a secrets file and a link out.
        await s.exec(["install", "-d", "-o", "shop", "-g", "shop", "-m", "0750", `${ROOT}/private`]);
        await s.writeFile(`${ROOT}/private/settings.js`, "module.exports = { port: 1 };\n");
        await s.writeFile(`${ROOT}/private/.env`, "SHOP_TOKEN=never-sent-anywhere\n");
        await s.exec(["ln", "-s", "/etc/shadow", `${ROOT}/private/shadow-link`]);
        await s.exec([
          "chown",
          "-h",
          "shop:shop",
          `${ROOT}/private/settings.js`,
          `${ROOT}/private/.env`,
          `${ROOT}/private/shadow-link`,
        ]);
        await s.exec(["chown", "shop:shop", `${ROOT}/.gitignore`]);
        const g = [
          "runuser",
          "-u",
          "shop",
          "--",
          "git",
          "-C",
          ROOT,
          "-c",
          "user.name=shop",
          "-c",
          "user.email=shop@vm",
        ];
        await s.exec(["runuser", "-u", "shop", "--", "git", "init", "-q", "-b", "main", ROOT]);
        await s.exec([...g, "add", "-A"]);
        await s.exec([...g, "commit", "-q", "-m", "the shop service"]);
        await s.exec([
          "install",
          "-D",
          "-m",
          "0755",
          join(repo, "test/real-vm/fixtures/owner-agent.cjs"),
          AGENT,
        ]);
        await s.writeFile(
          "/etc/systemd/system/shop.service",
          `[Unit]\nDescription=shop (its own user)\n[Service]\nUser=shop\nWorkingDirectory=${ROOT}\nEnvironment=PORT=${ports["shop"]}\nExecStart=/usr/bin/node ${ROOT}/server.js\n`,
        );
        await s.exec(["systemctl", "daemon-reload"]);
        await s.exec(["systemctl", "start", "shop.service"]);
      },
    });
    sbx = vm.sbx;
    port = vm.ports["shop"] ?? 0;
    // The installer made the agent's secrets file, root's alone; the operator puts the key in it.
    expect(await sbx.exec(["stat", "-c", "%U:%G %a", "/etc/voxops/agent.env"])).toBe("root:root 600\n");
    await sbx.exec(["sh", "-c", `printf '%s=%s\\n' ${KEY_NAME} ${KEY} >> /etc/voxops/agent.env`]);
  }, 240_000);

  afterAll(async () => {
    await vm?.close();
  }, 90_000);

  it("the voxops user cannot write the service's tree; the unit lets the helper's writes through", async () => {
    const touch = await sbx.run(["touch", `${ROOT}/by-voxops`], { user: "voxops" });
    expect(touch.code).not.toBe(0);
    expect(touch.stderr).toMatch(/Permission denied/);
    const paths = await cat("/etc/systemd/system/vm1-agent.service.d/paths.conf");
    expect(paths).toContain(`-${ROOT}`);
    expect((await get("/")).body).toBe("hello");
  }, 60_000);

  it("a change: the agent, the writes, the checks and the commit all run as shop", async () => {
    const { proposed, applied } = await change("add an /agent endpoint");
    expect(proposed.files).toEqual(expect.arrayContaining(["app.js", "agent-user.txt", "agent-env.txt"]));
    expect(applied.status, JSON.stringify(applied.body)).toBe(200);
    expect(applied.body.status).toBe("applied");
    expect((await get("/agent")).body).toBe("made by the agent");
    // The agent ran as shop, with none of voxops's settings or secrets in its environment.
    expect(await cat(`${ROOT}/agent-user.txt`)).toBe("shop\n");
    const env = (await cat(`${ROOT}/agent-env.txt`)).split("\n");
    expect(env).toContain("HOME");
    expect(env.filter((n) => n.startsWith("VOXOPS") || /KEY|TOKEN|SECRET/.test(n))).toEqual([KEY_NAME]);
    // The key reached the agent (the hash of what it saw), and it had a private HOME in its scratch directory.
    expect(await cat(`${ROOT}/agent-key.txt`)).toBe(`${createHash("sha256").update(KEY).digest("hex")}\n`);
    expect(await cat(`${ROOT}/agent-home.txt`)).toMatch(/^\/var\/tmp\/voxops-agent-[A-Za-z0-9]+\/home\n$/);
    expect(JSON.stringify(proposed)).not.toContain(KEY);
    // The checks ran as shop, and every file written belongs to shop.
    expect(await cat(`${ROOT}/checked-by.txt`)).toBe("shop\n");
    for (const f of ["app.js", "agent-user.txt", "checked-by.txt"])
      expect(await ownerOf(`${ROOT}/${f}`)).toBe("shop");
    // Committed in shop's repository with the request as the message, by voxops's identity.
    expect(await shopGit("log", "-1", "--format=%s|%an")).toBe("add an /agent endpoint|voxops vm1\n");
    expect(await shopGit("status", "--porcelain")).toBe("");
    expect(await ownerOf(`${ROOT}/.git/index`)).toBe("shop");
    expect(applied.body.revertConfirmationId).toBeTruthy();
    revertId = applied.body.revertConfirmationId;
  }, 180_000);

  it("the key's value is in no other process, log, audit or repository", async () => {
    expect((await sbx.run(["cat", "/etc/voxops/agent.env"], { user: "voxops" })).code).not.toBe(0);
    // The check that ran as shop, and the sidecar's own process.
    expect(await cat(`${ROOT}/checked-env.txt`)).toContain('"USER":"shop"');
    expect(await cat(`${ROOT}/checked-env.txt`)).not.toContain(KEY);
    const pid = (
      await sbx.exec(["systemctl", "show", "-p", "MainPID", "--value", "vm1-agent.service"])
    ).trim();
    expect(Number(pid)).toBeGreaterThan(0);
    const environ = await sbx.exec(["cat", `/proc/${pid}/environ`]);
    expect(environ).toContain("VOXOPS_");
    expect(environ).not.toContain(KEY);
    // The sidecar's journal, the controller's audit, the service's and the backup's git objects.
    expect(
      await sbx.exec(["journalctl", "-q", "-o", "cat", "--no-pager", "-u", "vm1-agent.service"]),
    ).not.toContain(KEY);
    const audit = JSON.stringify((await vm.api("/agent/audit?limit=200")).body);
    expect(audit).toContain("code-agent");
    expect(audit).not.toContain(KEY);
    for (const [git, user] of [
      [ROOT, "shop"],
      ["/srv/backup.git", "voxops"],
    ] as const) {
      const objects = await sbx.run(["git", "-C", git, "cat-file", "--batch-all-objects", "--batch"], {
        user,
      });
      expect(objects.code, objects.stderr).toBe(0);
      expect(objects.stdout).not.toContain(KEY);
    }
  }, 60_000);

  it("a change the service's tests refuse is rolled back, with the failing output", async () => {
    const before = await cat(`${ROOT}/app.js`);
    const head = await shopGit("rev-parse", "HEAD");
    const { applied } = await change("break the greeting");
    expect(applied.status).toBe(409);
    expect(applied.body.status).toBe("failed");
    expect(applied.body.text).toMatch(/test\.js/);
    expect(applied.body.text).toMatch(/expected "\/" to answer 200 hello/);
    expect(await cat(`${ROOT}/app.js`)).toBe(before);
    expect(await ownerOf(`${ROOT}/app.js`)).toBe("shop");
    expect(await shopGit("rev-parse", "HEAD")).toBe(head);
    expect((await get("/")).body).toBe("hello");
  }, 180_000);

  it("the revert puts the previous version back, as shop, restarted and committed", async () => {
    expect(revertId).not.toBe("");
    const r = await vm.api(`/agent/code/apply/${revertId}`, {});
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect((await get("/agent")).status).toBe(404);
    expect((await get("/")).body).toBe("hello");
    expect(await shopGit("log", "-1", "--format=%s")).toMatch(/^Revert "add an \/agent endpoint"/);
    expect((await sbx.run(["test", "-e", `${ROOT}/agent-user.txt`])).code).not.toBe(0);
    expect(await ownerOf(`${ROOT}/app.js`)).toBe("shop");
  }, 180_000);

  it("the root helper refuses, as voxops through sudo, what the inventory does not allow", async () => {
    const helper = (args: string[], input?: string) =>
      sbx.run(["sudo", "-n", HELPER, ...args], { user: "voxops", ...(input === undefined ? {} : { input }) });
    // Outside the source root, into .git, a secrets file, a service without a code block, an undeclared check.
    for (const [args, why] of [
      [["code-write", "shop", "../etc/passwd"], /refused|may not/],
      [["code-write", "shop", ".git/config"], /\.git/],
      [["code-write", "shop", ".env"], /secrets file/],
      [["code-write", "demo-node", "server.mjs"], /no source root/],
      [["code-check", "shop", "declared", "7"], /no such check/],
      [["code-git", "shop", "commit", "-m", "x"], /not one of the git commands/],
      [["code-git", "shop", "log", "--output=/etc/x"], /not allowed/],
    ] as const) {
      const r = await helper([...args], "x");
      expect(r.code, `${args.join(" ")}: ${r.stdout}${r.stderr}`).toBe(3);
      expect(JSON.parse(r.stdout.trim()).message).toMatch(why);
    }
    expect(await cat("/etc/passwd")).not.toContain("x\n");
    // Writes are the owner's, not root's: a directory shop may not write stays unwritten.
    const denied = await helper(["code-write", "shop", "vendor/lib.js"], "module.exports = 1;\n");
    expect(denied.code).toBe(3);
    expect(JSON.parse(denied.stdout.trim()).message).toBe(
      "shop, the owner of the service, may not write vendor/lib.js",
    );
    expect((await sbx.run(["test", "-e", `${ROOT}/vendor/lib.js`])).code).not.toBe(0);
    // …while a write shop may make is made as shop.
    const made = await helper(["code-write", "shop", "notes.txt"], "by the helper\n");
    expect(made.code, made.stdout + made.stderr).toBe(0);
    expect(await ownerOf(`${ROOT}/notes.txt`)).toBe("shop");
    expect(await cat(`${ROOT}/notes.txt`)).toBe("by the helper\n");
  }, 300_000);

  it("without the key's value in the file, the agent does not run, and the refusal names the variable and the file", async () => {
    await sbx.exec(["sh", "-c", `sed -i '/^${KEY_NAME}=/d' /etc/voxops/agent.env`]);
    const head = await shopGit("rev-parse", "HEAD");
    for (const [lang, words] of [
      [
        "en",
        /The coding agent needs SHOP_AGENT_KEY, and \/etc\/voxops\/agent\.env on the VM has no value for it/,
      ],
      [
        "ru",
        /Агенту-программисту нужна переменная SHOP_AGENT_KEY, а в файле \/etc\/voxops\/agent\.env на VM её значения нет/,
      ],
    ] as const) {
      const r = await vm.api("/agent/code", {
        text: "add an /agent endpoint",
        service: "shop",
        vm: "vm1",
        lang,
      });
      expect(r.status, JSON.stringify(r.body)).not.toBe(202);
      expect(String(r.body.message), JSON.stringify(r.body)).toMatch(words);
    }
    expect(await shopGit("rev-parse", "HEAD")).toBe(head);
  }, 60_000);

  it("reads of a part of the tree the voxops user may not read go through the helper as shop, confined", async () => {
    expect((await sbx.run(["cat", `${ROOT}/private/settings.js`], { user: "voxops" })).code).not.toBe(0);
    const d = (action: string, args: Record<string, unknown>) =>
      vm.host.controller.dispatch({ vm: "vm1", action, args: { service: "shop", ...args }, actor });
    const read = await d("code-read", { path: "private/settings.js" });
    expect(read.ok, JSON.stringify(read)).toBe(true);
    expect((read.output as { text: string }).text).toBe("module.exports = { port: 1 };\n");
    const list = await d("code-list", { dir: "private" });
    expect(list.ok, JSON.stringify(list)).toBe(true);
    const entries = (list.output as { entries: string[] }).entries;
    expect(entries).toContain("private/settings.js");
    expect(entries.filter((e) => e.includes(".env"))).toEqual([]);
    const found = await d("code-search", { text: "port: 1" });
    expect((found.output as { hits: { path: string }[] }).hits.map((h) => h.path)).toContain(
      "private/settings.js",
    );
    // Secrets are never returned, and a link out of the root is not followed, as the owner either.
    const secret = await d("code-search", { text: "never-sent-anywhere" });
    expect(JSON.stringify(secret)).not.toContain("SHOP_TOKEN");
    for (const [path, why] of [
      ["private/.env", /secrets file/],
      ["private/shadow-link", /leads outside the source root/],
    ] as const) {
      const r = await d("code-read", { path });
      expect(r.ok, JSON.stringify(r)).toBe(false);
      expect(r.error?.message).toMatch(why);
    }
  }, 60_000);
});
