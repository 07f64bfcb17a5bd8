/**
 * The world the creation tests run in (issue 13, cases 7 and 8): a real systemd (the sandbox) whose
 * inventory lets voxops create services under /srv/new and scripts under /opt/voxops-scripts, a
 * log directory with old and new files for a clean-up script, a bare backup repository, and a real
 * sidecar unit (as root, so the installer runs in its process; the helper's own refusals are tested
 * by running the helper as root). Outside: a Node controller with the Anthropic and Bot API
 * stand-ins. Test code; 127.0.0.1 only.
 */
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { readConfig } from "../../edge/core/config.ts";
import { type NodeHost, startNodeHost } from "../../edge/node/server.ts";
import { createShiftClock, type ShiftClock } from "../e2e/world.ts";
import { startAnthropicStandIn } from "../llm/anthropic-stand-in.ts";
import type { StandIn } from "../llm/stand-in-server.ts";
import { repo } from "../support/child.ts";
import { freePort } from "../support/free-port.ts";
import { installUnit, type SystemdSandbox, startSandbox } from "../support/systemd-sandbox.ts";
import { waitFor } from "../support/wait-for.ts";

/** API tokens: two admins (the second is "someone else"). */
export const creationTokens = {
  admin: "create-admin-token-000001",
  other: "create-admin-token-000002",
} as const;
const KEY = "create-sidecar-key-vm1-01";
const LLM_KEY = "sk-ant-stand-in-create-key";
/** Node 24 from the dev dependency: the sidecar and the helper. */
export const NODE24 = join(repo, "node_modules", "node", "bin", "node");

/** The sidecar bundle the helper runs from, as installed (`buildHelper` makes it). */
const HELPER_BUNDLE = join(repo, "dist", "creation-test", "voxops-sidecar.mjs");

/** Bundles the sidecar (deploy/build-sidecar.js) so that the helper runs as the installed one does. */
export async function buildHelper(): Promise<void> {
  await promisify(execFile)(process.execPath, [join(repo, "deploy/build-sidecar.js"), HELPER_BUNDLE], {
    cwd: repo,
  });
}

/** A running world. */
export interface CreationWorld {
  readonly sbx: SystemdSandbox;
  readonly host: NodeHost;
  readonly llm: StandIn;
  readonly clock: ShiftClock;
  /** The only port a new service may take (the inventory's portRange). */
  readonly port: number;
  api(path: string, body?: unknown, token?: string): Promise<{ status: number; body: any }>;
  /** The root helper (the bundle `buildHelper` made) run as root inside the sandbox, as the installed wrapper runs it. */
  helper(args: string[], input?: string): Promise<{ code: number; stdout: string; stderr: string }>;
  close(): Promise<void>;
}

/** Boots the world; `hostEnv` adds controller settings (Telegram). */
export async function startCreationWorld(hostEnv: Record<string, string> = {}): Promise<CreationWorld> {
  const sbx = await startSandbox("create");
  const dir = mkdtempSync(join(tmpdir(), "voxops-create-"));
  const llm = await startAnthropicStandIn(LLM_KEY);
  let host: NodeHost | undefined;
  try {
    const port = await freePort();
    // The clean-up script's user and logs: one file ten days old, one from today.
    await sbx.exec(["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", "opsjob"]);
    await sbx.exec(["install", "-d", "-o", "opsjob", "-g", "opsjob", "-m", "0755", "/srv/app-logs"]);
    await sbx.writeFile("/srv/app-logs/old.log", "old\n");
    await sbx.writeFile("/srv/app-logs/new.log", "new\n");
    await sbx.exec(["chown", "opsjob:opsjob", "/srv/app-logs/old.log", "/srv/app-logs/new.log"]);
    await sbx.exec(["touch", "-d", "10 days ago", "/srv/app-logs/old.log"]);
    await sbx.exec(["git", "init", "-q", "--bare", "-b", "main", "/srv/backup.git"]);
    const inventory = {
      vms: {
        vm1: {
          role: "main",
          aliases: ["main", "первая"],
          services: [],
          code: {
            newServices: { root: "/srv/new", portRange: [port, port] },
            scripts: { dir: "/opt/voxops-scripts", user: "opsjob", writable: ["/srv/app-logs"] },
          },
        },
      },
      backup: { repo: "/srv/backup.git", branch: "main" },
    };
    const inventoryText = JSON.stringify(inventory);
    await sbx.writeFile("/etc/voxops/inventory.json", inventoryText);
    const clock = createShiftClock();
    host = await startNodeHost({
      config: readConfig(
        {
          VOXOPS_API_TOKENS: `${creationTokens.admin}:admin,${creationTokens.other}:admin`,
          VOXOPS_SIDECAR_KEYS: `vm1=${KEY}`,
        },
        inventoryText,
      ),
      env: {
        LLM_PROVIDER: "anthropic",
        LLM_API_KEY: LLM_KEY,
        LLM_BASE_URL: llm.url,
        LLM_MODEL: "claude-stand-in",
        ...hostEnv,
      },
      port: 0,
      dbPath: join(dir, "controller.db"),
      clock,
      defaultTimeoutMs: 30_000,
    });
    await installUnit(
      sbx,
      "voxops-sidecar.service",
      [
        "[Unit]",
        "Description=voxops sidecar (test: as root, the installer runs in its process)",
        "[Service]",
        `ExecStart=${NODE24} ${join(repo, "bin", "voxops.js")} sidecar --controller ${host.url} --vm vm1 --inventory /etc/voxops/inventory.json --state-dir /var/lib/voxops`,
        `Environment=VOXOPS_SIDECAR_KEY=${KEY}`,
        "Environment=VOXOPS_HEARTBEAT_S=0.5",
        "Environment=VOXOPS_QUIET=1",
        "Environment=VOXOPS_BACKUP_EVERY_H=0",
        "Environment=VOXOPS_AUTOFIX=off",
        "",
      ].join("\n"),
    );
    await sbx.exec(["systemctl", "start", "voxops-sidecar.service"]);
    const h = host;
    await waitFor(() => h.controller.connected("vm1"), {
      what: "the sidecar in the sandbox to connect",
      timeoutMs: 20_000,
    }).catch(async (e: unknown) => {
      const j = await sbx.run(["journalctl", "-u", "voxops-sidecar.service", "-o", "cat", "--no-pager"]);
      throw new Error(`${String(e)}; sidecar journal: ${j.stdout.slice(-2000)}`);
    });
    return {
      sbx,
      host: h,
      llm,
      clock,
      port,
      async api(path, body, token = creationTokens.admin) {
        const res = await fetch(`${h.url}${path}`, {
          method: body === undefined ? "GET" : "POST",
          headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
          ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        });
        return { status: res.status, body: await res.json() };
      },
      helper: (args, input) =>
        sbx.run(
          [
            "/usr/bin/node",
            HELPER_BUNDLE,
            "helper",
            "--vm",
            "vm1",
            "--inventory",
            "/etc/voxops/inventory.json",
            ...args,
          ],
          { ...(input === undefined ? {} : { input }), timeoutMs: 60_000 },
        ),
      async close() {
        await h.close();
        await llm.close();
        await sbx.stop();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (e) {
    await host?.close();
    await llm.close();
    await sbx.stop();
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
}
