/**
 * The world the programming tests run in: a real systemd (the sandbox) running a fixture Node HTTP
 * service from a real git repository at /srv/api, a bare backup repository, and a real sidecar
 * process as a unit (as root, for now: the least-privilege install is issue 10's); outside it, a
 * Node controller with the Anthropic stand-in as its LLM. Test code; 127.0.0.1 only.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { readConfig } from "../../edge/core/config.ts";
import { type NodeHost, startNodeHost } from "../../edge/node/server.ts";
import { createShiftClock, type ShiftClock } from "../e2e/world.ts";
import { startAnthropicStandIn } from "../llm/anthropic-stand-in.ts";
import type { StandIn } from "../llm/stand-in-server.ts";
import { repo } from "../support/child.ts";
import { freePort } from "../support/free-port.ts";
import { installUnit, type SystemdSandbox, startSandbox } from "../support/systemd-sandbox.ts";
import { waitFor } from "../support/wait-for.ts";

/** API tokens: two admins (the second for "someone else pressed Apply"). */
export const codeTokens = { admin: "code-admin-token-00000001", other: "code-admin-token-00000002" } as const;
const KEY = "code-sidecar-key-of-vm1-01";
const LLM_KEY = "sk-ant-stand-in-code-key";
/** What the fixture's .env holds; it must never leave the VM. */
export const SECRET = "s3cr3t-fixture-value-4242";
/** Node 24 from the dev dependency (the sidecar); the services run on the system's node. */
const NODE24 = join(repo, "node_modules", "node", "bin", "node");
const fixtureDir = join(repo, "test", "fixtures", "code", "node-api");
/** The scripted stand-in for an external coding agent. */
const agentStandIn = join(repo, "test", "fixtures", "code", "agent-stand-in.cjs");

/** A running world. */
export interface CodeWorld {
  readonly sbx: SystemdSandbox;
  readonly host: NodeHost;
  readonly llm: StandIn;
  readonly clock: ShiftClock;
  readonly port: number;
  /** GET on the fixture service (or on another port of the sandbox); status and body. */
  get(path: string, port?: number): Promise<{ status: number; body: string }>;
  /** The port of agent-api, the service whose engine is the external agent stand-in. */
  readonly agentPort: number;
  /** The port of py-api, the Python service whose source is not a git checkout. */
  readonly pyPort: number;
  /** Runs git in /srv/api inside the sandbox. */
  git(...args: string[]): Promise<string>;
  api(path: string, body?: unknown, token?: string): Promise<{ status: number; body: any }>;
  close(): Promise<void>;
}

/** Boots the world (sandbox ~3 s, sidecar connect ~2 s); `hostEnv` adds controller settings (Telegram). */
export async function startCodeWorld(hostEnv: Record<string, string> = {}): Promise<CodeWorld> {
  const sbx = await startSandbox("code");
  const dir = mkdtempSync(join(tmpdir(), "voxops-code-"));
  const llm = await startAnthropicStandIn(LLM_KEY);
  let host: NodeHost | undefined;
  try {
    const port = await freePort();
    const git = (...args: string[]) =>
      sbx.exec([
        "git",
        "-C",
        "/srv/api",
        "-c",
        "user.name=dev",
        "-c",
        "user.email=dev@example.invalid",
        ...args,
      ]);
    const agentPort = await freePort();
    for (const [name, dir, p] of [
      ["api", "/srv/api", port],
      ["agent-api", "/srv/agent-api", agentPort],
    ] as const) {
      await sbx.exec(["mkdir", "-p", dir]);
      for (const f of ["app.js", "server.js", "test.js", "README.md", "package.json"])
        await sbx.exec(["cp", join(fixtureDir, f), `${dir}/${f}`]);
      await sbx.exec(["cp", join(fixtureDir, "dot-env"), `${dir}/.env`]);
      await sbx.exec(["ln", "-s", "/etc/hostname", `${dir}/hostname-link`]);
      await sbx.exec(["git", "init", "-q", "-b", "main", dir]);
      await sbx.writeFile(`${dir}/.gitignore`, ".env\n");
      const g = ["git", "-C", dir, "-c", "user.name=dev", "-c", "user.email=dev@example.invalid"];
      await sbx.exec([...g, "add", "-A"]);
      await sbx.exec([...g, "commit", "-q", "-m", "the fixture service"]);
      await installUnit(
        sbx,
        `${name}.service`,
        `[Unit]\nDescription=${name} (fixture)\n[Service]\nExecStart=/usr/bin/node ${dir}/server.js\nEnvironment=PORT=${p}\nWorkingDirectory=${dir}\n`,
      );
      await sbx.exec(["systemctl", "start", `${name}.service`]);
    }
    // A Python service whose source is not a git checkout: snapshots are files, there is no commit.
    const pyPort = await freePort();
    await sbx.exec(["mkdir", "-p", "/srv/py-api"]);
    for (const f of ["routes.py", "server.py", "test_routes.py"])
      await sbx.exec(["cp", join(fixtureDir, "..", "py-api", f), `/srv/py-api/${f}`]);
    await installUnit(
      sbx,
      "py-api.service",
      `[Unit]\nDescription=py-api (fixture)\n[Service]\nExecStart=/usr/bin/python3 /srv/py-api/server.py\nEnvironment=PORT=${pyPort} PYTHONDONTWRITEBYTECODE=1\nWorkingDirectory=/srv/py-api\n`,
    );
    await sbx.exec(["systemctl", "start", "py-api.service"]);
    await sbx.exec(["git", "init", "-q", "--bare", "-b", "main", "/srv/backup.git"]);
    const inventory = {
      vms: {
        vm1: {
          role: "main",
          aliases: ["main", "первая"],
          services: [
            {
              name: "api",
              health: `http://127.0.0.1:${port}/`,
              code: { root: "/srv/api", checks: [["/usr/bin/node", "test.js"]] },
            },
            {
              name: "agent-api",
              health: `http://127.0.0.1:${agentPort}/`,
              code: {
                root: "/srv/agent-api",
                checks: [["/usr/bin/node", "test.js"]],
                engine: { agent: ["/usr/bin/node", agentStandIn, "{request}"], timeoutS: 60 },
              },
            },
            {
              name: "py-api",
              health: `http://127.0.0.1:${pyPort}/`,
              code: { root: "/srv/py-api", checks: [["/usr/bin/python3", "test_routes.py"]] },
            },
          ],
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
          VOXOPS_API_TOKENS: `${codeTokens.admin}:admin,${codeTokens.other}:admin`,
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
      defaultTimeoutMs: 20_000,
    });
    await installUnit(
      sbx,
      "voxops-sidecar.service",
      [
        "[Unit]",
        "Description=voxops sidecar (test: as root until the installer's least-privilege unit, issue 10)",
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
    const get = async (path: string, at = port) => {
      try {
        const res = await fetch(`http://127.0.0.1:${at}${path}`, { signal: AbortSignal.timeout(3000) });
        return { status: res.status, body: await res.text() };
      } catch {
        return { status: 0, body: "" };
      }
    };
    await waitFor(async () => (await get("/")).status === 200, {
      what: "the fixture service",
      timeoutMs: 10_000,
    });
    return {
      sbx,
      host: h,
      llm,
      clock,
      port,
      agentPort,
      pyPort,
      get,
      git: (...args) => git(...args),
      async api(path, body, token = codeTokens.admin) {
        const res = await fetch(`${h.url}${path}`, {
          method: "POST",
          headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
          body: JSON.stringify(body ?? {}),
        });
        return { status: res.status, body: await res.json() };
      },
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
