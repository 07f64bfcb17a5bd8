/**
 * The world the reboot follow-up tests run in: one VM `local`, a Node host (the real runtime, desk,
 * watchdog and bot) that can be stopped and started again on the same port and database (the port is
 * held while it is down, so nothing else on the machine takes it), the
 * Bot API stand-in, and real sidecar processes: on this machine with the stand-in systemd (a reboot
 * it accepts never happens), started again under a new kernel boot id (a mount namespace with another
 * file bound over /proc/sys/kernel/random/boot_id), or inside the systemd sandbox as an unprivileged
 * user (real polkit refuses the reboot). Test code; 127.0.0.1 only.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { readConfig } from "../../edge/core/config.ts";
import { type NodeHost, startNodeHost } from "../../edge/node/server.ts";
import { JOURNALCTL, SYSTEMCTL } from "../sidecar-actions/harness.ts";
import { type BotApiStandIn, type StandInUser, startBotApiStandIn } from "../stand-ins/bot-api.ts";
import { repo } from "../support/child.ts";
import { holdPort, type PortHolder } from "../support/port-holder.ts";
import { noteChild } from "../support/run-children.ts";
import { type SystemdSandbox, spawnInside } from "../support/systemd-sandbox.ts";
import { waitFor } from "../support/wait-for.ts";

/** The admin's API token and the Telegram admins of the world. */
export const ADMIN_TOKEN = "reboot-admin-token-000001";
export const ru: StandInUser = { id: 3001, first_name: "Ольга", language_code: "ru", username: "olga" };
export const en: StandInUser = { id: 3002, first_name: "Ann", language_code: "en", username: "ann" };
const KEY = "reboot-sidecar-key-local-01";
/** A reboot the sidecar accepted is "did not go down" after this long of same-boot heartbeats. */
export const GO_DOWN_MS = 4_000;
/**
 * Silence before the watchdog counts an accepted reboot's VM as gone. Heartbeats every 0.5 s alone
 * would make it 2 s, and two things took longer without the VM going anywhere: a sidecar starved of
 * CPU on a loaded 2-core machine, and a sidecar redialling a restarted controller after its backoff
 * (full jitter up to 30 s, protocol/backoff.ts) — both were audited "went down" and failed the
 * "did not go down" cases. This covers the longest redial wait. A sidecar that really goes away
 * closes its socket, which the watchdog hears at once, so no case here waits for this silence.
 */
export const SUSPECT_AFTER_MS = 35_000;
const INVENTORY = JSON.stringify({ vms: { local: { role: "this machine", services: [] } } });

/** A sidecar process started by the world. */
export interface SidecarProcess {
  readonly process: ChildProcess;
  stderr(): string;
  /** SIGKILL, and wait for the exit. */
  kill(): Promise<void>;
}

/** A running world. */
export interface RebootWorld {
  readonly api: BotApiStandIn;
  readonly dir: string;
  host(): NodeHost;
  startHost(): Promise<NodeHost>;
  stopHost(): Promise<void>;
  /** A sidecar on this machine with the stand-in systemd; `bootId` runs it under that kernel boot id. */
  startSidecar(bootId?: string): SidecarProcess;
  /** A sidecar inside the sandbox as `user`, with the sandbox's real systemctl and polkit. */
  startSandboxSidecar(sandbox: SystemdSandbox, user: string): Promise<SidecarProcess>;
  /** Calls the HTTPS API with the admin's token. */
  call(path: string, init?: { method?: string; body?: unknown }): Promise<{ status: number; body: any }>;
  /** Waits (20 s unless told) for `local`'s sidecar to be connected and to have sent a heartbeat. */
  waitConnected(timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

const children = new Set<SidecarProcess>();

function track(proc: ChildProcess): SidecarProcess {
  noteChild(proc.pid);
  let err = "";
  proc.stderr?.on("data", (d: Buffer) => {
    err += d.toString();
  });
  proc.stdout?.resume();
  const child: SidecarProcess = {
    process: proc,
    stderr: () => err,
    async kill() {
      children.delete(child);
      if (proc.exitCode !== null || proc.signalCode !== null) return;
      const exited = new Promise<void>((r) => proc.once("exit", () => r()));
      proc.kill("SIGKILL");
      await exited;
    },
  };
  children.add(child);
  return child;
}

/** How the world restarts its controller; the defaults are the tests'. */
export interface RebootWorldOptions {
  /** Hold the port while the controller is down (default true). */
  readonly holdPort?: boolean;
  /** The watchdog's silence bound (default SUSPECT_AFTER_MS; `null`: what the 0.5 s heartbeat gives, 2 s). */
  readonly suspectAfterMs?: number | null;
}

/** Starts the world (the Bot API stand-in and the host; no sidecar yet). */
export async function startRebootWorld(options: RebootWorldOptions = {}): Promise<RebootWorld> {
  const suspectAfterMs = options.suspectAfterMs === undefined ? SUSPECT_AFTER_MS : options.suspectAfterMs;
  const dir = mkdtempSync(join(tmpdir(), "voxops-reboot-"));
  const api = await startBotApiStandIn();
  for (const user of [ru, en]) api.addUser(user);
  // The first start takes a port from the kernel; restarts listen on that same port again.
  let port = 0;
  let holder: PortHolder | undefined;
  const env = {
    TELEGRAM_BOT_TOKEN: api.token,
    TELEGRAM_API_ROOT: api.apiRoot,
    TELEGRAM_USERS: `${ru.id}:admin,${en.id}:admin`,
    TELEGRAM_BOT_INFO: JSON.stringify(api.botInfo),
    VOXOPS_HEARTBEAT_S: "0.5",
    VOXOPS_WATCHDOG_TIMINGS: JSON.stringify({
      rebootGoDownMs: GO_DOWN_MS,
      ...(suspectAfterMs === null ? {} : { suspectAfterMs }),
    }),
  };
  const config = readConfig(
    { VOXOPS_API_TOKENS: `${ADMIN_TOKEN}:admin`, VOXOPS_SIDECAR_KEYS: `local=${KEY}` },
    INVENTORY,
  );
  const inventoryFile = join(dir, "inventory.json");
  writeFileSync(inventoryFile, INVENTORY);
  const standinDir = join(dir, "systemd");
  let host: NodeHost | undefined;
  const url = () => `http://127.0.0.1:${port}`;
  const sidecarArgs = (stateDir: string, inventory: string) => [
    join(repo, "bin", "voxops.js"),
    "sidecar",
    "--controller",
    url(),
    "--vm",
    "local",
    "--state-dir",
    stateDir,
    "--inventory",
    inventory,
  ];
  const world: RebootWorld = {
    api,
    dir,
    host: () => {
      if (!host) throw new Error("the host is not running");
      return host;
    },
    async startHost() {
      await holder?.release();
      holder = undefined;
      host = await startNodeHost({
        config,
        env,
        port,
        dbPath: join(dir, "controller.db"),
        defaultTimeoutMs: 20_000,
      });
      port = host.port;
      return host;
    },
    async stopHost() {
      if (!host) return;
      await host.close();
      host = undefined;
      // A sidecar redialling now waits on an unanswered connection, and no other test gets the port.
      if (options.holdPort !== false) holder = await holdPort(port);
    },
    startSidecar(bootId) {
      const sidecarEnv = {
        ...process.env,
        PATH: `${dirname(process.execPath)}:${process.env["PATH"] ?? ""}`,
        VOXOPS_SIDECAR_KEY: KEY,
        VOXOPS_SYSTEMCTL: SYSTEMCTL,
        VOXOPS_JOURNALCTL: JOURNALCTL,
        VOXOPS_STANDIN_DIR: standinDir,
        VOXOPS_HEARTBEAT_S: "0.5",
        VOXOPS_QUIET: "1",
      };
      const argv = [process.execPath, ...sidecarArgs(join(dir, "state"), inventoryFile)];
      if (bootId === undefined)
        return track(spawn(argv[0] as string, argv.slice(1), { cwd: repo, env: sidecarEnv }));
      const bootFile = join(dir, `boot-id-${bootId}`);
      writeFileSync(bootFile, `${bootId}\n`);
      // Arguments reach the shell as positional parameters, never inside its script.
      const script = 'mount --bind "$1" /proc/sys/kernel/random/boot_id && shift && exec "$@"';
      return track(
        spawn(
          "unshare",
          ["--mount", "--propagation", "private", "sh", "-c", script, "sh", bootFile, ...argv],
          {
            cwd: repo,
            env: sidecarEnv,
          },
        ),
      );
    },
    async startSandboxSidecar(sandbox, user) {
      await sandbox.writeFile("/var/tmp/voxops-reboot/inventory.json", INVENTORY, 0o644);
      await sandbox.exec(["install", "-d", "-o", user, "/var/tmp/voxops-reboot/state"]);
      const node = join(repo, "node_modules", "node", "bin", "node");
      const args = sidecarArgs("/var/tmp/voxops-reboot/state", "/var/tmp/voxops-reboot/inventory.json");
      return track(
        spawnInside(sandbox, [
          "runuser",
          "-u",
          user,
          "--",
          "env",
          `VOXOPS_SIDECAR_KEY=${KEY}`,
          "VOXOPS_HEARTBEAT_S=0.5",
          "VOXOPS_QUIET=1",
          node,
          ...args,
        ]),
      );
    },
    async call(path, init = {}) {
      const res = await fetch(`${url()}${path}`, {
        method: init.method ?? "GET",
        headers: { authorization: `Bearer ${ADMIN_TOKEN}`, "content-type": "application/json" },
        ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
      });
      return { status: res.status, body: await res.json() };
    },
    async waitConnected(timeoutMs = 20_000) {
      await waitFor(
        () =>
          host?.controller.fleet().find((v) => v.vm === "local")?.figures &&
          host.controller.connected("local"),
        {
          what: "local's sidecar to connect and send a heartbeat",
          timeoutMs,
        },
      );
    },
    async close() {
      await Promise.all([...children].map((c) => c.kill()));
      await world.stopHost();
      await holder?.release();
      await api.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  await world.startHost();
  await api.waitForCall((c) => c.method === "deleteWebhook", 10_000);
  return world;
}

/** Kills every sidecar a world started (for afterAll). */
export async function killSidecars(): Promise<void> {
  await Promise.all([...children].map((c) => c.kill()));
}
