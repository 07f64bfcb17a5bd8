/**
 * The world the end-to-end desk tests run in: a stand-in systemd with grok-voice as a real HTTP
 * service, the eval inventory with that service's health URL, a Node host (the real runtime and desk)
 * and a real sidecar process for vm1. Test code; 127.0.0.1 only.
 */
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import type { Clock } from "../../edge/core/clock.ts";
import { readConfig } from "../../edge/core/config.ts";
import { type NodeHost, startNodeHost } from "../../edge/node/server.ts";
import { fixture, freePort, JOURNALCTL, SYSTEMCTL } from "../sidecar-actions/harness.ts";
import { type Child, spawnNode } from "../support/child.ts";
import { waitFor } from "../support/wait-for.ts";

/** API tokens of the world: admin, a second admin, operator, viewer, and an admin that may skip confirmations. */
export const tokens = {
  admin: "e2e-admin-token-000000001",
  admin2: "e2e-admin-token-000000002",
  operator: "e2e-operator-token-00001",
  viewer: "e2e-viewer-token-0000001",
  noconfirm: "e2e-noconfirm-token-0001",
} as const;

const KEY1 = "e2e-sidecar-key-of-vm1-01";
const KEY2 = "e2e-sidecar-key-of-vm2-02";

/** A clock that follows real time and can be moved forward (to expire confirmations). */
export interface ShiftClock extends Clock {
  advance(ms: number): void;
}

/** Creates a clock running at real speed from an adjustable offset. */
export function createShiftClock(): ShiftClock {
  let offset = 0;
  return {
    now: () => Date.now() + offset,
    advance(ms) {
      offset += ms;
    },
  };
}

/** A running world. */
export interface World {
  readonly dir: string;
  readonly standinDir: string;
  readonly host: NodeHost;
  readonly sidecar: Child;
  readonly clock: ShiftClock;
  readonly healthPort: number;
  /** Lines of the stand-in journal of a unit (systemd's and the service's). */
  journal(unit: string): string[];
  /** The `systemctl reboot` requests the stand-in recorded. */
  reboots(): { at: number; force: boolean }[];
  /** Calls the HTTPS API with a bearer token. */
  api(
    path: string,
    init?: { method?: string; body?: unknown; token?: string },
  ): Promise<{ status: number; body: any }>;
  close(): Promise<void>;
}

/** The eval inventory (nginx on both VMs) with grok-voice's health URL on `port`. */
function inventoryJson(port: number): string {
  return JSON.stringify({
    vms: {
      vm1: {
        role: "main",
        aliases: ["main", "first", "primary", "vm1", "первая", "основная", "главная", "первый"],
        services: [
          { name: "grok-voice", aliases: ["voice"], health: `http://127.0.0.1:${port}/health` },
          "admin-api",
          "nginx",
          "worker-queue",
        ],
      },
      vm2: {
        role: "hub",
        aliases: ["hub", "second", "vm2", "вторая", "хаб", "второй"],
        services: ["mcp-hub", "postgresql", "nginx", "billing-api"],
      },
    },
  });
}

/** Starts the world; `env` adds host settings (Telegram, speech, LLM); `inventory` replaces the eval inventory. */
export async function startWorld(
  env: Record<string, string> = {},
  options: { readonly inventory?: (healthPort: number) => unknown } = {},
): Promise<World> {
  const dir = mkdtempSync(join(tmpdir(), "voxops-e2e-"));
  const standinDir = join(dir, "systemd");
  mkdirSync(join(standinDir, "units"), { recursive: true });
  const healthPort = await freePort();
  writeFileSync(
    join(standinDir, "units", "grok-voice.service"),
    [
      "[Unit]",
      "Description=grok-voice (test HTTP service)",
      "[Service]",
      `ExecStart=${process.execPath} ${fixture("http-service.ts")}`,
      `Environment=PORT=${healthPort}`,
    ].join("\n"),
  );
  const inventoryFile = join(dir, "inventory.json");
  const inventoryText = options.inventory
    ? JSON.stringify(options.inventory(healthPort))
    : inventoryJson(healthPort);
  writeFileSync(inventoryFile, inventoryText);
  const config = readConfig(
    {
      VOXOPS_API_TOKENS: [
        `${tokens.admin}:admin`,
        `${tokens.admin2}:admin`,
        `${tokens.operator}:operator`,
        `${tokens.viewer}:viewer`,
        `${tokens.noconfirm}:admin:noconfirm`,
      ].join(","),
      VOXOPS_SIDECAR_KEYS: `vm1=${KEY1},vm2=${KEY2}`,
    },
    inventoryText,
  );
  const clock = createShiftClock();
  const host = await startNodeHost({
    config,
    env,
    port: 0,
    dbPath: join(dir, "controller.db"),
    clock,
    defaultTimeoutMs: 20_000,
  });
  const standinEnv = {
    PATH: `${dirname(process.execPath)}:${process.env["PATH"] ?? ""}`,
    VOXOPS_SIDECAR_KEY: KEY1,
    VOXOPS_SYSTEMCTL: SYSTEMCTL,
    VOXOPS_JOURNALCTL: JOURNALCTL,
    VOXOPS_STANDIN_DIR: standinDir,
    VOXOPS_STATE_DIR: join(dir, "state-vm1"),
    VOXOPS_HEARTBEAT_S: "0.5",
    VOXOPS_QUIET: "1",
  };
  const sidecar = spawnNode(
    "bin/voxops.js",
    [
      "sidecar",
      "--controller",
      host.url,
      "--vm",
      "vm1",
      "--state-dir",
      join(dir, "state-vm1"),
      "--inventory",
      inventoryFile,
    ],
    standinEnv,
  );
  const world: World = {
    dir,
    standinDir,
    host,
    sidecar,
    clock,
    healthPort,
    journal(unit) {
      const file = join(standinDir, "journal", `${unit}.jsonl`);
      if (!existsSync(file)) return [];
      return readFileSync(file, "utf8")
        .split("\n")
        .filter(Boolean)
        .map((line) => String((JSON.parse(line) as { message?: unknown }).message ?? ""));
    },
    reboots() {
      const file = join(standinDir, "reboot-requested");
      if (!existsSync(file)) return [];
      return readFileSync(file, "utf8")
        .split("\n")
        .filter(Boolean)
        .map((l) => JSON.parse(l) as { at: number; force: boolean });
    },
    async api(path, init = {}) {
      const res = await fetch(`${host.url}${path}`, {
        method: init.method ?? "GET",
        headers: {
          authorization: `Bearer ${init.token ?? tokens.admin}`,
          "content-type": "application/json",
        },
        ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
      });
      return { status: res.status, body: await res.json() };
    },
    async close() {
      await sidecar.stop();
      await host.close();
      killServices(standinDir);
      rmSync(dir, { recursive: true, force: true });
      // A stand-in systemctl the sidecar started just before it stopped may recreate its state dirs.
      await new Promise((r) => setTimeout(r, 300));
      killServices(standinDir);
      rmSync(dir, { recursive: true, force: true });
    },
  };
  try {
    await waitFor(() => host.controller.connected("vm1"), {
      what: "vm1's sidecar to connect",
      timeoutMs: 15_000,
    });
    await waitFor(() => host.controller.fleet().find((v) => v.vm === "vm1")?.figures, {
      what: "vm1's first heartbeat",
      timeoutMs: 15_000,
    });
  } catch (error) {
    const stderr = sidecar.stderr();
    await world.close();
    throw new Error(`${String(error)}; sidecar stderr: ${stderr.slice(-2000)}`);
  }
  return world;
}

/** Kills the supervisors and main processes the stand-in started. */
function killServices(standinDir: string): void {
  const stateDir = join(standinDir, "state");
  let files: string[] = [];
  try {
    files = readdirSync(stateDir).filter((n) => n.endsWith(".json"));
  } catch {
    return;
  }
  for (const f of files) {
    try {
      const s = JSON.parse(readFileSync(join(stateDir, f), "utf8")) as {
        mainPid?: number;
        supervisorPid?: number;
      };
      for (const pid of [s.supervisorPid, s.mainPid])
        if (pid && pid > 0)
          try {
            process.kill(pid, "SIGKILL");
          } catch {
            // already gone
          }
    } catch {
      // a state file being rewritten
    }
  }
}
