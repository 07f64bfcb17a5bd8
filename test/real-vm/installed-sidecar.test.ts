/**
 * A VM as a user gets it: a real systemd 252 (the shared sandbox) with real services (Node, Python,
 * nginx), the sidecar installed by the real deploy/install-sidecar.sh and running under its hardened
 * unit as the `voxops` user, connected to a controller on this machine; every catalog action driven
 * through the HTTPS API, and the boundary shown from outside the sidecar's code (as `voxops`, by
 * runuser): polkit refuses other units and verbs, sudo and the helper refuse undeclared paths.
 */
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { repo } from "../support/child.ts";
import type { SystemdSandbox } from "../support/systemd-sandbox.ts";
import { waitFor } from "../support/wait-for.ts";
import { type InstalledVm, type RealVmPorts, startInstalledVm } from "./installed-vm.ts";

const HELPER = "/usr/lib/voxops/voxops-helper";

let vm: InstalledVm;
let sbx: SystemdSandbox;
let ports: RealVmPorts;

const api = (path: string, body?: unknown) => vm.api(path, body);

/** The one result of a command on vm1. */
function only(r: { body: any }): any {
  return r.body.results?.[0]?.outcome;
}

const asVoxops = (argv: string[], input?: string) =>
  sbx.run(argv, { user: "voxops", ...(input === undefined ? {} : { input }) });

const get = (port: number, path = "/health") => vm.get(port, path);

describe("the sidecar installed on a real systemd VM", () => {
  beforeAll(async () => {
    // The suite drives fix itself; the automatic watcher would race it for the same finding.
    vm = await startInstalledVm({
      label: "real-vm",
      sidecarService: "Environment=VOXOPS_AUTOFIX=off VOXOPS_HEARTBEAT_S=1",
    });
    ({ sbx, ports } = vm);
  }, 240_000);

  afterAll(async () => {
    await vm?.close();
  }, 90_000);

  it("runs as voxops under its unit, with the node the installer checked", async () => {
    const show = await sbx.exec([
      "systemctl",
      "show",
      "-p",
      "User,ExecStart,ActiveState",
      "vm1-agent.service",
    ]);
    expect(show).toContain("User=voxops");
    expect(show).toContain("ActiveState=active");
    expect(show).toContain("path=/usr/bin/node");
  }, 90_000);

  it("the doctor the installer names says the sidecar works", async () => {
    const doctor = await asVoxops([
      "/usr/bin/node",
      "/opt/voxops/voxops-sidecar.mjs",
      "doctor",
      "--vm",
      "vm1",
    ]);
    expect(doctor.code, doctor.stdout + doctor.stderr).toBe(0);
    expect(doctor.stdout).toContain("The root helper answers through sudo.");
    expect(doctor.stdout).toContain("The sidecar for vm1 works on this VM.");
    // Run as root instead, it says so rather than pass.
    const root = await sbx.run(["/usr/bin/node", "/opt/voxops/voxops-sidecar.mjs", "doctor", "--vm", "vm1"]);
    expect(root.code).toBe(1);
    expect(root.stdout).toContain("Running as root, not voxops");
  }, 120_000);

  it("`voxops doctor --vm vm1`, run as root from the clone, runs that doctor as voxops", async () => {
    const node24 = join(repo, "node_modules/node/bin/node");
    const doctor = await sbx.run([node24, join(repo, "bin/voxops.js"), "doctor", "--vm", "vm1"]);
    expect(doctor.code, doctor.stdout + doctor.stderr).toBe(0);
    expect(doctor.stdout).toContain("The root helper answers through sudo.");
    expect(doctor.stdout).toContain("The sidecar for vm1 works on this VM.");
    expect(doctor.stdout).not.toContain("Running as root");
    const other = await sbx.run([node24, join(repo, "bin/voxops.js"), "doctor", "--vm", "vm2"]);
    expect(other.code).toBe(1);
    expect(other.stderr).toContain("the sidecar for vm2 is not installed on this machine");
  }, 120_000);

  it("status, logs, metrics and errors read the real units and journal", async () => {
    const status = await api("/agent/vm/status?vm=vm1&live=1");
    expect(status.status, JSON.stringify(status.body)).toBe(200);
    const live = JSON.stringify(status.body.live);
    for (const name of ["demo-node", "demo-py", "demo-nginx"]) expect(live).toContain(name);
    expect(live).toContain('"active"');

    const logs = await api("/agent/logs/demo-py?vm=vm1&lines=20");
    expect(logs.status, JSON.stringify(logs.body)).toBe(200);
    expect(JSON.stringify(only(logs))).toContain("demo-py listening");

    const metrics = await api("/agent/metrics?vm=vm1");
    expect(metrics.status, JSON.stringify(metrics.body)).toBe(200);
    expect(JSON.stringify(only(metrics))).toMatch(/mem|load|disk/i);

    const errors = await api("/agent/errors?vm=vm1&service=demo-py");
    expect(errors.status, JSON.stringify(errors.body)).toBe(200);
    expect(JSON.stringify(only(errors))).toContain("something went wrong once");
  }, 90_000);

  it("restarts an inventory unit through polkit", async () => {
    const before = await sbx.exec(["systemctl", "show", "-p", "MainPID", "--value", "demo-py.service"]);
    const r = await api("/agent/service/restart", { vm: "vm1", service: "demo-py" });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    const after = await sbx.exec(["systemctl", "show", "-p", "MainPID", "--value", "demo-py.service"]);
    expect(after.trim()).not.toBe(before.trim());
    expect(await get(ports.py)).toContain("demo-py");
  }, 90_000);

  it("changes a config through the root helper: validated, applied, rolled back", async () => {
    // nginx: the real `nginx -t` refuses a broken file before anything changes.
    const original = await sbx.readFile("/etc/demo-nginx/nginx.conf");
    const broken = await api("/agent/config", {
      vm: "vm1",
      service: "demo-nginx",
      patch: [{ find: "events {", replace: "events {{" }],
    });
    expect(broken.status, JSON.stringify(broken.body)).not.toBe(200);
    expect(JSON.stringify(broken.body)).toContain("refused, nothing changed");
    expect(await sbx.readFile("/etc/demo-nginx/nginx.conf")).toBe(original);

    const good = await api("/agent/config", {
      vm: "vm1",
      service: "demo-nginx",
      patch: [{ find: "demo-nginx v1", replace: "demo-nginx v2" }],
    });
    expect(good.status, JSON.stringify(good.body)).toBe(200);
    expect(await get(ports.nginx, "/")).toContain("demo-nginx v2");
    const stat = await sbx.exec(["stat", "-c", "%U:%G %a", "/etc/demo-nginx/nginx.conf"]);
    expect(stat.trim()).toBe("root:root 644");

    // The Node service: a valid change applied and restarted...
    const greet = await api("/agent/config", {
      vm: "vm1",
      service: "demo-node",
      file: "demo.json",
      content: '{"greeting": "hello from voxops"}\n',
    });
    expect(greet.status, JSON.stringify(greet.body)).toBe(200);
    expect(await get(ports.node)).toContain("hello from voxops");
    // ...and a change that passes the format check but fails health is rolled back.
    const bad = await api("/agent/config", {
      vm: "vm1",
      service: "demo-node",
      file: "demo.json",
      content: "[1, 2]\n",
    });
    expect(bad.status, JSON.stringify(bad.body)).not.toBe(200);
    expect(await sbx.readFile("/etc/demo-node/demo.json")).toBe('{"greeting": "hello from voxops"}\n');
    await waitFor(async () => (await get(ports.node)).includes("hello from voxops"), {
      what: "demo-node back",
    });
  }, 120_000);

  it("a change that created a config file and then failed removes the file again (through the helper)", async () => {
    const missing = await sbx.run(["test", "-e", "/etc/demo-node/overrides.json"]);
    expect(missing.code).toBe(1);
    const bad = await api("/agent/config", {
      vm: "vm1",
      service: "demo-node",
      file: "overrides.json",
      content: '{"greeting": 42}\n',
    });
    expect(bad.status, JSON.stringify(bad.body)).not.toBe(200);
    expect(JSON.stringify(bad.body)).toContain("did not come up with the new /etc/demo-node/overrides.json");
    expect(JSON.stringify(bad.body)).not.toMatch(/EACCES|permission denied/i);
    const after = await sbx.run(["test", "-e", "/etc/demo-node/overrides.json"]);
    expect(after.code, "the created file is gone").toBe(1);
    await waitFor(async () => (await get(ports.node)).includes("hello from voxops"), {
      what: "demo-node back without the created file",
    });
    // The helper removes declared files only, whoever asks.
    const refused = await asVoxops(["sudo", "-n", HELPER, "remove-file", "/etc/demo-node/other.json"]);
    expect(refused.code).toBe(3);
    expect(refused.stderr).toContain("is not a declared config file");
  }, 120_000);

  it("deploys as the checkout's owner, builds, verifies, and rolls a broken version back", async () => {
    const push = async (version: string) => {
      const sh = `set -e; [ -d /srv/demo-node-work/.git ] || git clone -q /srv/demo-node.git /srv/demo-node-work; cd /srv/demo-node-work; echo ${version} > VERSION; git commit -qam ${version}; git push -q origin main`;
      await sbx.exec([
        "runuser",
        "-u",
        "demo",
        "--",
        "env",
        "HOME=/home/demo",
        "GIT_AUTHOR_NAME=demo",
        "GIT_AUTHOR_EMAIL=d@vm",
        "GIT_COMMITTER_NAME=demo",
        "GIT_COMMITTER_EMAIL=d@vm",
        "sh",
        "-c",
        sh,
      ]);
    };
    await sbx.exec(["install", "-d", "-o", "demo", "-g", "demo", "/srv/demo-node-work"]);
    await push("v2");
    const ok = await api("/agent/code/deploy", { vm: "vm1", service: "demo-node" });
    expect(ok.status, JSON.stringify(ok.body)).toBe(200);
    expect(await get(ports.node)).toContain('"version":"v2"');
    // The build ran as demo, and git left the checkout demo's.
    expect(await get(ports.node)).toContain("built v2 by demo");
    expect(
      (await sbx.exec(["stat", "-c", "%U", "/srv/demo-node/VERSION", "/srv/demo-node/.git/HEAD"])).trim(),
    ).toBe("demo\ndemo");

    await push("broken");
    const bad = await api("/agent/code/deploy", { vm: "vm1", service: "demo-node" });
    expect(bad.status, JSON.stringify(bad.body)).not.toBe(200);
    expect(JSON.stringify(bad.body)).toContain("rolled back");
    await waitFor(async () => (await get(ports.node)).includes('"version":"v2"'), { what: "v2 back" });
  }, 180_000);

  it("backs up to a real bare repository and restores a lost file as its owner", async () => {
    // Data only its owner can read: a 0600 file and a 0700 directory of the service's user.
    await sbx.exec([
      "sh",
      "-c",
      "cd /srv/demo-node-data && umask 077 && runuser -u demo -- mkdir ledger && echo 'page one' | runuser -u demo -- tee ledger/book.txt >/dev/null && echo 'only demo reads this' | runuser -u demo -- tee owner-only.txt >/dev/null",
    ]);
    expect((await sbx.exec(["stat", "-c", "%a", "/srv/demo-node-data/ledger"])).trim()).toBe("700");
    expect(
      (await asVoxops(["cat", "/srv/demo-node-data/owner-only.txt"])).code,
      "voxops cannot read it",
    ).not.toBe(0);
    const backup = await api("/agent/backup", { vm: "vm1", reason: "real-vm suite" });
    expect(backup.status, JSON.stringify(backup.body)).toBe(200);
    const files = await sbx.exec([
      "git",
      "--git-dir=/srv/backup.git",
      "ls-tree",
      "-r",
      "--name-only",
      "main",
    ]);
    expect(files).toContain("vm1/configs/etc/demo-nginx/nginx.conf");
    expect(files).toContain("vm1/demo-node/srv/demo-node-data/records.txt");
    const shown = (path: string) =>
      sbx.exec(["git", "--git-dir=/srv/backup.git", "show", `main:vm1/demo-node/srv/demo-node-data/${path}`]);
    expect(await shown("owner-only.txt")).toBe("only demo reads this\n");
    expect(await shown("ledger/book.txt")).toBe("page one\n");
    // Read through the helper for declared paths only; voxops still cannot read them itself.
    const shadow = await asVoxops(["sudo", "-n", HELPER, "read-declared", "/etc/shadow"]);
    expect(shadow.code).toBe(3);
    expect(shadow.stderr).toContain("is not a declared config file");
    expect((await asVoxops(["cat", "/srv/demo-node-data/owner-only.txt"])).code).not.toBe(0);
    expect(files).toContain("vm1/demo-py/srv/demo-py-data/settings.txt");

    await sbx.exec(["rm", "/srv/demo-node-data/records.txt"]);
    const restore = await api("/agent/restore", { vm: "vm1", path: "srv/demo-node-data/records.txt" });
    expect(restore.status, JSON.stringify(restore.body)).toBe(200);
    expect(await sbx.readFile("/srv/demo-node-data/records.txt")).toBe("first record\n");
    expect((await sbx.exec(["stat", "-c", "%U", "/srv/demo-node-data/records.txt"])).trim()).toBe("demo");
  }, 120_000);

  it("fix stops another user's stale copy holding the port (through the root helper) and restarts", async () => {
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
    await waitFor(async () => (await get(ports.node)) !== "", { what: "the stale copy to listen" });
    await sbx.run(["systemctl", "start", "demo-node.service"]);
    await waitFor(
      async () =>
        (await sbx.run(["journalctl", "-u", "demo-node.service", "-o", "cat", "--no-pager"])).stdout.includes(
          "EADDRINUSE",
        ),
      { what: "demo-node to fail on the port" },
    );
    const fix = await api("/agent/fix", { vm: "vm1", service: "demo-node", rule: "port-in-use" });
    expect(fix.status, JSON.stringify(fix.body)).toBe(200);
    expect(JSON.stringify(only(fix))).toContain("repaired");
    expect((await sbx.run(["systemctl", "is-active", "stale-demo-node.service"])).stdout.trim()).not.toBe(
      "active",
    );
    expect((await sbx.exec(["systemctl", "is-active", "demo-node.service"])).trim()).toBe("active");
  }, 120_000);

  it("fix restores a lost file from the backup (as its owner, through the root helper) and restarts", async () => {
    await sbx.exec(["rm", "/srv/demo-py-data/settings.txt"]);
    await sbx.run(["systemctl", "restart", "demo-py.service"]);
    await waitFor(
      async () =>
        (await sbx.run(["journalctl", "-u", "demo-py.service", "-o", "cat", "--no-pager"])).stdout.includes(
          "FileNotFoundError",
        ),
      { what: "demo-py to fail on the missing file" },
    );
    const fix = await api("/agent/fix", { vm: "vm1", service: "demo-py", rule: "file-not-found" });
    expect(fix.status, JSON.stringify(fix.body)).toBe(200);
    expect(JSON.stringify(only(fix))).toContain("repaired");
    expect(await sbx.readFile("/srv/demo-py-data/settings.txt")).toBe("py settings v1\n");
    expect((await sbx.exec(["stat", "-c", "%U", "/srv/demo-py-data/settings.txt"])).trim()).toBe("demo");
    expect(await get(ports.py)).toContain("py settings v1");
  }, 120_000);

  it("the other repairs' privileged steps work as voxops: journal vacuum and installs as the owner", async () => {
    const vacuum = await asVoxops(["sudo", "-n", HELPER, "vacuum-journal", "64000000"]);
    expect(vacuum.code, vacuum.stderr).toBe(0);
    expect(vacuum.stdout).toContain("Vacuuming done");
    // A build step from the inventory runs as the checkout's owner; anything else is refused.
    const build = await asVoxops([
      "sudo",
      "-n",
      HELPER,
      "as-owner",
      "demo-node",
      "run",
      "/srv/demo-node",
      "--",
      "/usr/bin/node",
      "build.mjs",
    ]);
    expect(build.code, build.stderr).toBe(0);
    expect(await sbx.readFile("/srv/demo-node/build-output.txt")).toContain("by demo");
  }, 90_000);

  it("fix installs a missing declared dependency as the service's user through the helper, restarts, verifies", async () => {
    await sbx.run(["systemctl", "start", "demo-imp.service"]);
    await waitFor(
      async () =>
        (await sbx.run(["journalctl", "-u", "demo-imp.service", "-o", "cat", "--no-pager"])).stdout.includes(
          "greeting-lib",
        ),
      { what: "demo-imp to fail on its missing dependency" },
    );
    const fix = await api("/agent/fix", { vm: "vm1", service: "demo-imp", rule: "import-error" });
    expect(fix.status, JSON.stringify(fix.body)).toBe(200);
    const owner = await sbx.exec(["stat", "-c", "%U", "/srv/demo-imp/node_modules/greeting-lib"]);
    expect(owner.trim()).toBe("demo");
    expect(await get(ports.imp)).toContain("hello from greeting-lib");
    expect((await sbx.exec(["systemctl", "is-active", "demo-imp.service"])).trim()).toBe("active");
  }, 120_000);

  it("fix reclaims space through the helper: journal vacuumed, rotated logs removed, the live log kept", async () => {
    await sbx.run(["systemctl", "start", "demo-space.service"]);
    await waitFor(
      async () =>
        (
          await sbx.run(["journalctl", "-u", "demo-space.service", "-o", "cat", "--no-pager"])
        ).stdout.includes("ENOSPC"),
      { what: "demo-space to fail with ENOSPC" },
    );
    await waitFor(async () => (await sbx.run(["systemctl", "is-failed", "demo-space.service"])).code === 0, {
      what: "demo-space to be failed",
    });
    const fix = await api("/agent/fix", { vm: "vm1", service: "demo-space", rule: "out-of-space" });
    expect(fix.status, JSON.stringify(fix.body)).toBe(200);
    const left = await sbx.exec(["ls", "/var/log/demo-space"]);
    expect(left.trim().split("\n"), JSON.stringify(fix.body)).toEqual(["app.log"]);
    expect(await sbx.readFile("/var/log/demo-space/app.log")).toBe("today\n");
    expect(await get(ports.space, "/")).toContain("demo-space ok");
    expect(JSON.stringify(fix.body)).not.toContain("journal not vacuumed");
  }, 120_000);

  it("refuses, outside the sidecar's code, what the inventory does not grant", async () => {
    // polkit: other units, and verbs no action needs, even on an inventory unit.
    for (const argv of [
      ["systemctl", "stop", "ssh.service"],
      ["systemctl", "start", "debug-shell.service"],
      ["systemctl", "start", "rescue.target"],
      ["systemctl", "stop", "demo-py.service"],
      ["systemctl", "kill", "demo-py.service"],
    ]) {
      const r = await asVoxops(argv);
      expect(r.code, argv.join(" ")).not.toBe(0);
      expect(r.stderr, argv.join(" ")).toMatch(/Access denied|Interactive authentication required/);
    }
    expect((await sbx.exec(["systemctl", "is-active", "demo-py.service"])).trim()).toBe("active");
    // Files: /etc/shadow is neither writable by voxops nor a path the helper writes.
    const direct = await asVoxops(["sh", "-c", "echo x >> /etc/shadow"]);
    expect(direct.code).not.toBe(0);
    const helper = await asVoxops(["sudo", "-n", HELPER, "put-file", "/etc/shadow"], "x\n");
    expect(helper.code).toBe(3);
    expect(helper.stderr).toContain("is not a declared config file or under a backed-up path");
    const unit = await asVoxops(
      ["sudo", "-n", HELPER, "put-file", "/etc/systemd/system/demo-py.service"],
      "x\n",
    );
    expect(unit.code).toBe(3);
    // sudo: the helper only, never a shell; the helper: only the inventory's commands and git verbs.
    expect((await asVoxops(["sudo", "-n", "/bin/sh", "-c", "id"])).code).not.toBe(0);
    const sh = await asVoxops([
      "sudo",
      "-n",
      HELPER,
      "as-owner",
      "demo-node",
      "run",
      "/srv/demo-node",
      "--",
      "/bin/sh",
      "-c",
      "id",
    ]);
    expect(sh.code).toBe(3);
    const gitc = await asVoxops([
      "sudo",
      "-n",
      HELPER,
      "as-owner",
      "demo-node",
      "git",
      "-c",
      "core.pager=sh",
      "log",
    ]);
    expect(gitc.code).toBe(3);
    const stale = await asVoxops(["sudo", "-n", HELPER, "stop-stale", "demo-node", "1"]);
    expect(stale.code).toBe(3);
    // The API refuses a unit outside the inventory before anything reaches the VM.
    const ghost = await api("/agent/service/restart", { vm: "vm1", service: "ssh" });
    expect(ghost.status).not.toBe(200);
    expect((await sbx.run(["systemctl", "is-active", "ssh.service"])).stdout.trim()).not.toBe("active");
  }, 120_000);

  it("reboots: the sandbox's systemd ends as a VM does, and the controller sees the VM go", async () => {
    const r = await api("/agent/vm/reboot", { vm: "vm1" });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    await waitFor(() => !sbx.alive(), { timeoutMs: 30_000, what: "the sandbox to end" });
    await waitFor(async () => (await api("/agent/vm/status?vm=vm1")).body.vms?.[0]?.connected === false, {
      timeoutMs: 30_000,
      what: "the controller to see vm1 go",
    });
  }, 90_000);
});
