/** A temporary VM for sidecar action tests: a stand-in systemd state dir, adapters pointed at it, cleanup. */
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { type Inventory, type InventoryFile, parseInventory } from "../../protocol/inventory.ts";
import { type Adapters, createAdapters, type Timing } from "../../sidecar/adapters/index.ts";
import { type ActionContext, ActionError } from "../../sidecar/services/handler.ts";

const here = dirname(fileURLToPath(import.meta.url));
/** The stand-in binaries. */
export const SYSTEMCTL = join(here, "../stand-ins/systemd/systemctl");
export const JOURNALCTL = join(here, "../stand-ins/systemd/journalctl");
/** Absolute path of a test service. */
export const fixture = (name: string): string => join(here, "../fixtures/services", name);

/** Short waits so failing services are noticed quickly. */
export const testTiming: Partial<Timing> = {
  activeWithinMs: 5000,
  stableMs: 400,
  healthWithinMs: 3000,
  healthTimeoutMs: 1000,
};

/** A temporary VM. */
export interface Harness {
  readonly root: string;
  readonly standinDir: string;
  readonly env: NodeJS.ProcessEnv;
  readonly adapters: Adapters;
  /** Writes a unit file whose ExecStart runs a test service with the current node. */
  unit(name: string, script: string, options?: { env?: Record<string, string>; extra?: string }): void;
  /** An ActionContext for `vm` with the given inventory. */
  ctx(inventory: Inventory, vm?: string): ActionContext;
  systemctl(...args: string[]): string;
  cleanup(): void;
}

/** Validates an inventory or throws with its errors. */
export function inventory(raw: InventoryFile): Inventory {
  const r = parseInventory(raw);
  if (!r.ok) throw new Error(r.errors.join("; "));
  return r.inventory;
}

/** A port nobody listens on right now, below the ephemeral range (the one copy, in test/support). */
export { freePort } from "../support/free-port.ts";

/** Creates a temporary VM; call `cleanup` in afterEach/afterAll. */
export function createHarness(options: { stateName?: string; timing?: Partial<Timing> } = {}): Harness {
  const root = mkdtempSync(join(tmpdir(), "voxops-sidecar-"));
  const standinDir = join(root, "systemd");
  mkdirSync(join(standinDir, "units"), { recursive: true });
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PATH: `${dirname(process.execPath)}:${process.env["PATH"] ?? ""}`,
    VOXOPS_STANDIN_DIR: standinDir,
  };
  const adapters = createAdapters({
    systemctl: SYSTEMCTL,
    journalctl: JOURNALCTL,
    stateDir: join(root, options.stateName ?? "state"),
    agentPaths: [],
    timing: { ...testTiming, ...options.timing },
    env,
  });
  const systemctl = (...args: string[]): string =>
    execFileSync(SYSTEMCTL, args, { env, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  return {
    root,
    standinDir,
    env,
    adapters,
    systemctl,
    unit(name, script, opts = {}) {
      const envLines = Object.entries(opts.env ?? {}).map(([k, v]) => `Environment=${k}=${v}`);
      writeFileSync(
        join(standinDir, "units", `${name}.service`),
        [
          "[Unit]",
          `Description=Test service ${name}`,
          "[Service]",
          `ExecStart=${process.execPath} ${script}`,
          ...envLines,
          opts.extra ?? "",
        ].join("\n"),
      );
    },
    ctx(inv, vm = "vm1") {
      const controller = new AbortController();
      return {
        vm,
        inventory: inv,
        deadline: Date.now() + 60_000,
        signal: controller.signal,
        now: () => Date.now(),
      };
    },
    cleanup() {
      const stateDir = join(standinDir, "state");
      for (const f of safeList(stateDir).filter((n) => n.endsWith(".json"))) {
        try {
          const s = JSON.parse(readFileSync(join(stateDir, f), "utf8")) as {
            mainPid?: number;
            supervisorPid?: number;
          };
          for (const pid of [s.supervisorPid, s.mainPid]) if (pid && pid > 0) kill(pid);
        } catch {
          // a state file being rewritten; its processes are killed through the other file or are gone
        }
      }
      rmSync(root, { recursive: true, force: true });
    },
  };
}

function safeList(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

function kill(pid: number): void {
  try {
    process.kill(pid, "SIGKILL");
  } catch {
    // already gone
  }
}

/** Runs git in `cwd` with a fixed identity (for preparing test repositories). */
export function git(cwd: string, ...args: string[]): string {
  return execFileSync("git", args, {
    cwd,
    encoding: "utf8",
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: "test",
      GIT_AUTHOR_EMAIL: "test@example.invalid",
      GIT_COMMITTER_NAME: "test",
      GIT_COMMITTER_EMAIL: "test@example.invalid",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
}

/** Resolves after `ms`. */
export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Polls `fn` until it returns true or `ms` passes. */
export async function until(fn: () => boolean | Promise<boolean>, ms = 5000): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await fn()) return true;
    await sleep(50);
  }
  return fn();
}

/** The error an action call failed with; fails the test if the call succeeded or there was no handler. */
export async function refusal(call: Promise<unknown> | undefined): Promise<ActionError> {
  if (!call) throw new Error("no handler for this action");
  try {
    await call;
  } catch (e) {
    if (e instanceof ActionError) return e;
    throw e;
  }
  throw new Error("expected the action to fail, but it succeeded");
}
