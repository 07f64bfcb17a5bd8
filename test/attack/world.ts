/**
 * The attack suite's world, all on 127.0.0.1: the controller as a real process (`voxops mirror`, the
 * Node host, so it can be killed with SIGKILL and started again on the same database), two real
 * sidecar processes (vm1, vm2) whose changing actions only count their runs, the Telegram Bot API
 * stand-in and the OpenAI-compatible LLM stand-in.
 */
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { startOpenAiStandIn } from "../llm/openai-stand-in.ts";
import type { StandIn } from "../llm/stand-in-server.ts";
import { type BotApiStandIn, type StandInUser, startBotApiStandIn } from "../stand-ins/bot-api.ts";
import { repo } from "../support/child.ts";
import { freePort } from "../support/free-port.ts";

const rand = () => crypto.randomUUID().replaceAll("-", "");

/** A process of the world with the output it wrote. */
export interface Proc {
  readonly child: ChildProcess;
  output(): string;
}

/** Everything the cases attack, and the secrets that must never show. */
export interface World {
  readonly dir: string;
  readonly base: string;
  readonly tokens: { admin: string; admin2: string; operator: string; viewer: string };
  readonly keys: { vm1: string; vm2: string; vm3: string; vm4: string };
  readonly webhookSecret: string;
  readonly llmKey: string;
  readonly telegram: BotApiStandIn;
  readonly llm: StandIn;
  readonly users: { admin: StandInUser; viewer: StandInUser; stranger: StandInUser };
  /** The inventory file the sidecars read. */
  readonly inventoryFile: string;
  /** The real bare backup repository the inventory names. */
  readonly backupRepo: string;
  /** Where vm4's declared paths live (the backup cases fill them). */
  readonly vm4Root: string;
  /** Every secret value the world was given. */
  readonly secrets: readonly string[];
  controller: Proc;
  sidecars: Record<"vm1" | "vm2", Proc>;
  /** The lines the counting sidecars appended (one per real run). */
  runs(): string[];
  /** Every output of every process so far, killed ones included. */
  allOutput(): string;
  startController(): Promise<Proc>;
  startSidecar(vm: "vm1" | "vm2", slowMs?: number): Proc;
  waitConnected(vm: "vm1" | "vm2" | "vm4", timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

/** Starts the world and waits until both sidecars are connected. */
export async function startWorld(): Promise<World> {
  mkdirSync("/var/tmp", { recursive: true });
  const dir = mkdtempSync("/var/tmp/voxops-attack-");
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const tokens = { admin: rand(), admin2: rand(), operator: rand(), viewer: rand() };
  const keys = { vm1: rand(), vm2: rand(), vm3: rand(), vm4: rand() };
  const backupRepo = join(dir, "backup.git");
  execFileSync("git", ["init", "-q", "--bare", "-b", "main", backupRepo]);
  const vm4Root = join(dir, "vm4");
  const webhookSecret = rand();
  const llmKey = `sk-${rand()}`;
  const telegram = await startBotApiStandIn(`777${Math.floor(Math.random() * 1e6)}:${rand()}`);
  const users = {
    admin: { id: 1001, first_name: "Ada", language_code: "en", username: "ada" },
    viewer: { id: 1002, first_name: "Vic", language_code: "en" },
    stranger: { id: 6666, first_name: "Eve", language_code: "en" },
  };
  for (const u of Object.values(users)) telegram.addUser(u);
  const llm = await startOpenAiStandIn(llmKey, "/v1");
  const inventory = {
    vms: {
      vm1: {
        role: "main",
        aliases: ["main"],
        // A checkout and a backup repository are declared so deploys, backups and restores pass the
        // desk's preconditions and reach the counting sidecar (which never runs git).
        services: [
          { name: "web", repo: { path: "/srv/web", branch: "main" } },
          { name: "worker", repo: { path: "/srv/worker", branch: "main" } },
        ],
      },
      vm2: { role: "hub", aliases: ["hub"], autoReset: false, services: ["db"] },
      vm3: { role: "fuzz", autoReset: false, services: [] },
      // A real sidecar backs up vm4's paths, full of secrets, into a real bare repository (backup-cases.ts).
      vm4: {
        role: "backup",
        autoReset: false,
        services: [
          {
            name: "app",
            configs: [{ path: join(vm4Root, "etc", "app", "app.conf") }],
            backup: [join(vm4Root, "srv", "app")],
          },
        ],
        backup: [join(vm4Root, "etc", "voxops"), join(vm4Root, "etc", "app", "mime.types")],
      },
    },
    backup: { repo: `file://${backupRepo}`, branch: "main" },
  };
  const inventoryFile = join(dir, "inventory.json");
  writeFileSync(inventoryFile, JSON.stringify(inventory));
  const countFile = join(dir, "runs.txt");
  const outputs: Proc[] = [];
  const secrets = [...Object.values(tokens), ...Object.values(keys), webhookSecret, llmKey, telegram.token];

  const track = (child: ChildProcess): Proc => {
    let out = "";
    child.stdout?.on("data", (d: Buffer) => {
      out += d.toString();
    });
    child.stderr?.on("data", (d: Buffer) => {
      out += d.toString();
    });
    const proc = { child, output: () => out };
    outputs.push(proc);
    return proc;
  };
  const cleanEnv = { PATH: process.env.PATH ?? "", HOME: dir, NODE_ENV: "production" };

  const world: World = {
    dir,
    base,
    tokens,
    keys,
    webhookSecret,
    llmKey,
    telegram,
    llm,
    users,
    inventoryFile,
    backupRepo,
    vm4Root,
    secrets,
    controller: undefined as unknown as Proc,
    sidecars: {} as Record<"vm1" | "vm2", Proc>,
    runs: () => (existsSync(countFile) ? readFileSync(countFile, "utf8").split("\n").filter(Boolean) : []),
    allOutput: () => outputs.map((p) => p.output()).join("\n"),
    async startController() {
      const child = spawn(process.execPath, [join(repo, "bin", "voxops.js"), "mirror"], {
        cwd: dir,
        env: {
          ...cleanEnv,
          PORT: String(port),
          VOXOPS_LISTEN_HOST: "127.0.0.1",
          VOXOPS_DB: join(dir, "controller.db"),
          VOXOPS_API_TOKENS: `${tokens.admin}:admin,${tokens.admin2}:admin,${tokens.operator}:operator,${tokens.viewer}:viewer`,
          VOXOPS_SIDECAR_KEYS: `vm1=${keys.vm1},vm2=${keys.vm2},vm3=${keys.vm3},vm4=${keys.vm4}`,
          VOXOPS_INVENTORY: JSON.stringify(inventory),
          VOXOPS_HEARTBEAT_S: "1",
          TELEGRAM_BOT_TOKEN: telegram.token,
          TELEGRAM_API_ROOT: telegram.apiRoot,
          TELEGRAM_WEBHOOK_SECRET: webhookSecret,
          TELEGRAM_USERS: `${users.admin.id}:admin,${users.viewer.id}:viewer`,
          TELEGRAM_BOT_INFO: JSON.stringify(telegram.botInfo),
          LLM_PROVIDER: "openai",
          LLM_API_KEY: llmKey,
          LLM_BASE_URL: `${llm.url}/v1`,
          LLM_MODEL: "stand-in",
        },
        stdio: ["ignore", "pipe", "pipe"],
      });
      world.controller = track(child);
      // Generous: on a loaded machine type-stripping the controller's sources takes a while.
      const until = Date.now() + 90_000;
      for (;;) {
        const ok = await fetch(`${base}/healthz`, { signal: AbortSignal.timeout(2000) }).then(
          (r) => r.ok,
          () => false,
        );
        if (ok) return world.controller;
        if (child.exitCode !== null || Date.now() > until)
          throw new Error(`the controller did not start:\n${world.controller.output().slice(-2000)}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    },
    startSidecar(vm, slowMs = 0) {
      const child = spawn(process.execPath, [join(repo, "test", "attack", "counting-sidecar.ts")], {
        cwd: dir,
        env: {
          ...cleanEnv,
          VOXOPS_VM: vm,
          VOXOPS_SIDECAR_KEY: keys[vm],
          VOXOPS_CONTROLLERS: base,
          VOXOPS_STATE_DIR: join(dir, `state-${vm}`),
          VOXOPS_INVENTORY_FILE: inventoryFile,
          COUNT_FILE: countFile,
          SLOW_MS: String(slowMs),
        },
        stdio: ["ignore", "pipe", "pipe"],
      });
      world.sidecars[vm] = track(child);
      return world.sidecars[vm];
    },
    async waitConnected(vm, timeoutMs = 60_000) {
      const until = Date.now() + timeoutMs;
      for (;;) {
        const health = await fetch(`${base}/agent/health`, {
          headers: { authorization: `Bearer ${tokens.admin}` },
          signal: AbortSignal.timeout(2000),
        })
          .then((r) => r.json() as Promise<{ sidecars?: { vm: string }[] }>)
          .catch(() => ({ sidecars: [] }));
        if (health.sidecars?.some((s) => s.vm === vm)) return;
        if (Date.now() > until)
          throw new Error(
            `${vm} did not connect:\n${vm === "vm4" ? "" : world.sidecars[vm]?.output().slice(-1500)}`,
          );
        await new Promise((r) => setTimeout(r, 100));
      }
    },
    async close() {
      for (const p of outputs)
        if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill("SIGKILL");
      await telegram.close();
      await llm.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  await world.startController();
  world.startSidecar("vm1");
  world.startSidecar("vm2");
  await world.waitConnected("vm1");
  await world.waitConnected("vm2");
  return world;
}
