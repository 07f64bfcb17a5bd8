/**
 * Automatic repairs through a real controller: a Node host and a real sidecar process under the
 * systemd stand-in, a service whose port a stale copy of itself holds. The sidecar asks (fix.request),
 * the controller's policy gate decides, `fix` is dispatched back and the repair is verified; the audit
 * tells the story by the finding's id. With VOXOPS_AUTOFIX_APPROVAL=operator nothing runs until an
 * admin presses the button; when the target's rate limit is spent nothing runs at all.
 */
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { Actor } from "../../edge/core/actors.ts";
import type { AuditRecord } from "../../edge/core/audit.ts";
import { readConfig } from "../../edge/core/config.ts";
import { type NodeHost, startNodeHost } from "../../edge/node/server.ts";
import { fixture, freePort, JOURNALCTL, SYSTEMCTL } from "../sidecar-actions/harness.ts";
import { type Child, spawnNode } from "../support/child.ts";
import { waitFor } from "../support/wait-for.ts";
import { alive, waitListening } from "./world.ts";

const KEY = "approval-sidecar-key-vm1-01";
const admin: Actor = { kind: "telegram", id: "1001", role: "admin" };

/** A controller, a sidecar for vm1 and a "web" service whose port a stale copy holds. */
interface ApprovalWorld {
  readonly host: NodeHost;
  readonly sidecar: Child;
  readonly stale: ChildProcess;
  readonly port: number;
  readonly alerts: { key: unknown; text: unknown }[];
  systemctl(...args: string[]): string;
  /** The audit records about one finding, oldest first. */
  story(findingId: string): AuditRecord[];
  /** Waits for the auto-fix request to reach the controller; returns the finding's id. */
  requested(): Promise<string>;
  close(): Promise<void>;
}

const worlds: ApprovalWorld[] = [];
afterEach(async () => {
  for (const w of worlds.splice(0)) await w.close();
});

async function startApprovalWorld(env: Record<string, string>, approvalMs: number): Promise<ApprovalWorld> {
  const dir = mkdtempSync(join(tmpdir(), "voxops-approval-"));
  const standinDir = join(dir, "systemd");
  const workdir = join(dir, "web");
  mkdirSync(join(standinDir, "units"), { recursive: true });
  mkdirSync(workdir);
  const port = await freePort();
  const script = fixture("bind-port-service.ts");
  writeFileSync(
    join(standinDir, "units", "web.service"),
    [
      "[Unit]",
      "Description=web (test service)",
      "[Service]",
      `ExecStart=${process.execPath} ${script}`,
      `Environment=PORT=${port}`,
      `WorkingDirectory=${workdir}`,
    ].join("\n"),
  );
  const inventoryText = JSON.stringify({
    vms: { vm1: { services: [{ name: "web", workdir, port, health: `http://127.0.0.1:${port}/` }] } },
  });
  const inventoryFile = join(dir, "inventory.json");
  writeFileSync(inventoryFile, inventoryText);
  const settingsFile = join(dir, "autofix.json");
  writeFileSync(
    settingsFile,
    JSON.stringify({ autofix: { burstMs: 300, quietMs: 800, backoffMs: 300, dedupeMs: 60_000, approvalMs } }),
  );
  const alerts: { key: unknown; text: unknown }[] = [];
  const host = await startNodeHost({
    config: readConfig({ VOXOPS_SIDECAR_KEYS: `vm1=${KEY}` }, inventoryText),
    env,
    port: 0,
    dbPath: join(dir, "controller.db"),
    defaultTimeoutMs: 20_000,
    log: (_level, message, fields) => {
      if (message === "alert") alerts.push({ key: fields?.["alert"], text: fields?.["text"] });
    },
  });
  // The stale copy: the same program in the same directory, started by hand and never stopped.
  const stale = spawn(process.execPath, [script], {
    cwd: workdir,
    env: { ...process.env, PORT: String(port) },
    stdio: "ignore",
    detached: true,
  });
  await waitListening(port);
  const standinEnv = { ...process.env, VOXOPS_STANDIN_DIR: standinDir };
  const systemctl = (...args: string[]): string =>
    execFileSync(SYSTEMCTL, args, { env: standinEnv, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  const sidecar = spawnNode(
    "bin/voxops.js",
    ["sidecar", "--controller", host.url, "--vm", "vm1", "--state-dir", join(dir, "state-vm1")],
    {
      PATH: `${dirname(process.execPath)}:${process.env["PATH"] ?? ""}`,
      VOXOPS_SIDECAR_KEY: KEY,
      VOXOPS_SYSTEMCTL: SYSTEMCTL,
      VOXOPS_JOURNALCTL: JOURNALCTL,
      VOXOPS_STANDIN_DIR: standinDir,
      VOXOPS_INVENTORY_FILE: inventoryFile,
      VOXOPS_AUTOFIX_FILE: settingsFile,
      VOXOPS_HEARTBEAT_S: "0.5",
      VOXOPS_QUIET: "1",
    },
  );
  const audit = () => host.controller.audit.recent(1000).reverse();
  const world: ApprovalWorld = {
    host,
    sidecar,
    stale,
    port,
    alerts,
    systemctl,
    story: (id) => audit().filter((r) => r.ref === id),
    async requested() {
      let id: string | undefined;
      await waitFor(
        () => {
          id = audit().find((r) => r.actor.id === "autofix" && r.outcome === "requested")?.ref;
          return id;
        },
        { what: "the sidecar's fix.request", timeoutMs: 20_000 },
      );
      return id ?? "";
    },
    async close() {
      await sidecar.stop();
      await host.close();
      if (alive(stale)) stale.kill("SIGKILL");
      try {
        systemctl("stop", "web");
      } catch {
        // already stopped
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
  worlds.push(world);
  await waitFor(() => host.controller.connected("vm1"), { what: "vm1's sidecar", timeoutMs: 15_000 });
  // The service must fail only once the watcher follows the journal: wait for the sidecar's
  // `journalctl -f` child (then a short settle for it to open the journal files).
  await waitFor(() => followerRunning(sidecar.process.pid ?? -1), {
    what: "the watcher's journalctl -f",
    timeoutMs: 15_000,
  });
  await new Promise((r) => setTimeout(r, 300));
  return world;
}

/** True when a child of `parent` runs journalctl in follow mode. */
function followerRunning(parent: number): boolean {
  for (const pid of readdirSync("/proc").filter((d) => /^\d+$/.test(d))) {
    try {
      const ppid = /PPid:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1];
      const cmd = readFileSync(`/proc/${pid}/cmdline`, "utf8");
      if (Number(ppid) === parent && cmd.includes("journalctl") && cmd.includes("-f")) return true;
    } catch {
      // The process ended while we looked.
    }
  }
  return false;
}

const outcomes = (records: AuditRecord[]) => records.map((r) => `${r.actor.id} ${r.outcome}`);
const active = (w: ApprovalWorld) => w.systemctl("show", "web", "-p", "ActiveState").includes("=active");

describe("an automatic repair through the controller", () => {
  it("is requested, approved by the gate, dispatched as fix, verified, and audited by its finding", async () => {
    const w = await startApprovalWorld({}, 60_000);
    w.systemctl("start", "web");
    const id = await w.requested();
    // The command's result and the sidecar's fix.applied event are separate frames: wait for both.
    await waitFor(
      () => ["dispatched: ok", "applied"].every((o) => w.story(id).some((r) => r.outcome === o)),
      { what: "the repair to finish and be reported", timeoutMs: 30_000 },
    ).catch((e: unknown) => {
      const all = w.host.controller.audit
        .recent(200)
        .reverse()
        .filter((r) => r.actor.id === "autofix")
        .map((r) => `${r.ref} ${r.outcome} ${r.detail?.slice(0, 80)}`);
      const cmd = /command (\S+)/.exec(
        w.story(id).find((r) => r.outcome === "dispatched: ok")?.detail ?? "",
      )?.[1];
      const result = cmd ? JSON.stringify(w.host.controller.command(cmd)?.result?.output).slice(0, 1500) : "";
      throw new Error(
        `${String(e)}; the finding ${id}'s story: ${JSON.stringify(outcomes(w.story(id)))}; all: ${JSON.stringify(all)}; result: ${result}`,
      );
    });
    expect(alive(w.stale)).toBe(false);
    expect(active(w)).toBe(true);
    expect(await (await fetch(`http://127.0.0.1:${w.port}/`)).text()).toBe("ok\n");
    const story = w.story(id);
    expect(outcomes(story).slice(0, 2)).toEqual(["autofix requested", "autofix approved"]);
    expect(outcomes(story).slice(2).sort()).toEqual(["autofix applied", "autofix dispatched: ok"]);
    expect(story[0]).toMatchObject({
      action: "fix",
      target: "vm1",
      args: { service: "web", rule: "port-in-use" },
    });
    expect(story[0]?.detail).toContain("port-in-use");
    expect(story[2]?.detail).toContain("stop-stale-process → restart");
    // The controller's own records of the command, as the autofix actor, with the rule.
    const command = /command (\S+)/.exec(story[3]?.detail ?? "")?.[1];
    const records = w.host.controller.audit.recent(1000).filter((r) => r.ref === command);
    expect(records.map((r) => r.outcome).sort()).toEqual(["dispatched", "ok"]);
    expect(records[0]).toMatchObject({ actor: { kind: "auto", id: "autofix" }, action: "fix" });
  }, 60_000);

  it("with VOXOPS_AUTOFIX_APPROVAL=operator waits for an admin's button, then repairs", async () => {
    const w = await startApprovalWorld({ VOXOPS_AUTOFIX_APPROVAL: "operator" }, 60_000);
    w.systemctl("start", "web");
    const id = await w.requested();
    await waitFor(() => w.story(id).some((r) => r.outcome === "awaiting approval"), {
      what: "the admins to be asked",
      timeoutMs: 10_000,
    });
    expect(w.alerts).toEqual([expect.objectContaining({ key: "vm1:web:port-in-use:approve" })]);
    await new Promise((r) => setTimeout(r, 1500));
    expect(alive(w.stale)).toBe(true);
    expect(active(w)).toBe(false);
    const asked = await w.host.runtime.desk.handleButton({ actor: admin, data: `af:${id}` });
    const cf = (asked.buttons ?? []).flat().find((b) => b.data.startsWith("cf:"))?.data;
    expect(asked.text).toContain("Fix web on vm1?");
    expect(alive(w.stale)).toBe(true);
    const done = await w.host.runtime.desk.handleButton({ actor: admin, data: cf ?? "" });
    expect(done.text).toContain("→ fix web on vm1");
    expect(alive(w.stale)).toBe(false);
    expect(active(w)).toBe(true);
    // The sidecar's fix.applied event is its own frame, after the command's result.
    await waitFor(() => w.story(id).some((r) => r.outcome === "applied"), {
      what: "the applied report",
      timeoutMs: 10_000,
    });
    expect(outcomes(w.story(id))).toEqual([
      "autofix requested",
      "autofix awaiting approval",
      "1001 approval requested",
      "autofix applied",
    ]);
  }, 60_000);

  it("is denied when the target's rate limit is spent: nothing runs, the sidecar says not-approved once", async () => {
    const w = await startApprovalWorld({}, 3000);
    // Six confirmed fixes on vm1/web (a healthy service: nothing to repair) spend the target's limit
    // (6 in 10 min); questions left unanswered would not, since the gate counts what runs.
    for (let i = 0; i < 6; i++) {
      const reply = await w.host.runtime.desk.handleButton({ actor: admin, data: "do:fix:vm1:web" });
      expect(reply.pendingConfirmation).toBe(true);
      const confirm = reply.buttons?.flat().find((b) => b.data.startsWith("cf:"));
      expect(confirm).toBeDefined();
      await w.host.runtime.desk.handleButton({ actor: admin, data: confirm!.data });
    }
    w.systemctl("start", "web");
    const id = await w.requested();
    await waitFor(() => w.story(id).some((r) => r.outcome === "skipped: not-approved"), {
      what: "the sidecar to give up waiting",
      timeoutMs: 15_000,
    });
    expect(outcomes(w.story(id))).toEqual([
      "autofix requested",
      "autofix denied",
      "autofix skipped: not-approved",
    ]);
    expect(w.story(id)[1]?.detail).toContain("Too many changes to this target");
    expect(alive(w.stale)).toBe(true);
    expect(active(w)).toBe(false);
    const ran = w.host.controller.audit
      .recent(1000)
      .filter((r) => r.actor.id === "autofix" && r.outcome === "dispatched");
    expect(ran).toEqual([]);
    // Six confirmed fixes run first (each a real diagnosis on the VM): generous for a loaded machine.
  }, 180_000);
});
