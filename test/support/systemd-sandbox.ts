/**
 * A real systemd 252 (PID 1) with journald, dbus, logind and polkit for end-to-end tests, through
 * `../shared/tools/systemd-sandbox` (its header says what it isolates). The sandbox's root is an
 * overlay of this machine's `/`: the repository is visible inside at the same path, writes stay
 * inside, and services listen on the real loopback. The machine's `/tmp` is not visible inside.
 *
 * A machine that cannot boot it fails the test with the reason; nothing is skipped silently.
 */
import { execFile, spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { repo } from "./child.ts";

/** The sandbox tool shipped beside the repository (`../shared/tools/systemd-sandbox`). */
export const sandboxTool = resolve(repo, "..", "shared", "tools", "systemd-sandbox");

/** What a command inside the sandbox printed and how it ended. */
export interface SandboxResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Options for one command run inside the sandbox. */
export interface SandboxRunOptions {
  /** Run as this user (through `runuser -u USER --`), not root. */
  readonly user?: string;
  /** Extra environment for the command (passed through `env`, never a shell). */
  readonly env?: Readonly<Record<string, string>>;
  /** Kill the command after this many milliseconds (default 60 s). */
  readonly timeoutMs?: number;
  /** Bytes for standard input. */
  readonly input?: string;
}

/** A booted sandbox; `stop()` ends it and everything in it. */
export interface SystemdSandbox {
  /** The state directory on this machine (under /var/tmp). */
  readonly dir: string;
  /** The PID of the sandbox's systemd as this machine sees it. */
  readonly pid: number;
  /** Runs `argv` inside (no shell unless argv[0] is one); never throws on a non-zero exit. */
  run(argv: readonly string[], options?: SandboxRunOptions): Promise<SandboxResult>;
  /** Runs `argv` inside and throws with its output when it exits non-zero. */
  exec(argv: readonly string[], options?: SandboxRunOptions): Promise<string>;
  /** This machine's path for a path inside the sandbox (through /proc/PID/root). */
  hostPath(insidePath: string): string;
  /** Writes a file inside the sandbox as root (parent directories created). */
  writeFile(insidePath: string, content: string | Uint8Array, mode?: number): Promise<void>;
  /** Reads a file inside the sandbox. */
  readFile(insidePath: string): Promise<string>;
  /** True while the sandbox's systemd is alive (a reboot inside ends it). */
  alive(): boolean;
  /** Ends the sandbox and removes its state directory. */
  stop(): Promise<void>;
}

const live = new Set<SystemdSandbox>();

function runTool(args: string[], timeoutMs: number, input?: string): Promise<SandboxResult> {
  return new Promise((done) => {
    const child = execFile(
      sandboxTool,
      args,
      { timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024, killSignal: "SIGKILL" },
      (error, stdout, stderr) => {
        const code =
          error && typeof (error as { code?: unknown }).code === "number"
            ? ((error as { code: number }).code as number)
            : error
              ? 124
              : 0;
        done({ code, stdout: String(stdout), stderr: String(stderr) });
      },
    );
    if (input !== undefined) child.stdin?.end(input);
    else child.stdin?.end();
  });
}

/**
 * Boots a sandbox (about 2-3 s). Throws a clear error when the tool is missing, the machine is not
 * root, or systemd/dbus/polkitd are not installed (`.ci/run` installs them).
 */
export async function startSandbox(label = "sbx"): Promise<SystemdSandbox> {
  if (!existsSync(sandboxTool)) {
    throw new Error(
      `the systemd sandbox tool is missing at ${sandboxTool}: ../shared must sit beside the repo`,
    );
  }
  if (process.getuid?.() !== 0) throw new Error("the systemd sandbox needs root (CI runs as root)");
  for (const bin of ["/lib/systemd/systemd", "/usr/bin/dbus-daemon", "/usr/lib/polkit-1/polkitd"]) {
    if (!existsSync(bin)) {
      throw new Error(
        `${bin} is missing: install the Debian packages systemd, dbus and polkitd (.ci/run does)`,
      );
    }
  }
  // The run's own directory (test/support/sandbox-reaper.ts stops what is left there at the end).
  const parent = process.env["TEST_RUN_SANDBOX_DIR"] ?? "/var/tmp/voxops-test";
  await mkdir(parent, { recursive: true });
  const dir = await mkdtemp(join(parent, `${label}-`));
  const started = await runTool(["start", dir], 60_000);
  if (started.code !== 0) {
    const console = await readFile(join(dir, "console.log"), "utf8").catch(() => "");
    await rm(dir, { recursive: true, force: true }).catch(() => {});
    throw new Error(
      `the systemd sandbox did not boot (exit ${started.code}): ${started.stderr.trim()}\n${console.slice(-2000)}`,
    );
  }
  const pid = Number(started.stdout.trim().split("\n").pop());
  const hostPath = (p: string) => join(`/proc/${pid}/root`, p);

  const run = (argv: readonly string[], options: SandboxRunOptions = {}) => {
    const envArgs = Object.entries(options.env ?? {}).map(([k, v]) => `${k}=${v}`);
    const prefix = options.user ? ["runuser", "-u", options.user, "--"] : [];
    const full = [...prefix, ...(envArgs.length > 0 ? ["env", ...envArgs] : []), ...argv];
    return runTool(["run", dir, ...full], options.timeoutMs ?? 60_000, options.input);
  };

  const sandbox: SystemdSandbox = {
    dir,
    pid,
    run,
    async exec(argv, options) {
      const r = await run(argv, options);
      if (r.code !== 0) {
        throw new Error(`inside the sandbox, ${argv.join(" ")} exited ${r.code}: ${r.stderr}${r.stdout}`);
      }
      return r.stdout;
    },
    hostPath,
    async writeFile(insidePath, content, mode) {
      const target = hostPath(insidePath);
      await mkdir(dirname(target), { recursive: true });
      await writeFile(target, content, mode === undefined ? undefined : { mode });
    },
    readFile: (insidePath) => readFile(hostPath(insidePath), "utf8"),
    alive: () => existsSync(`/proc/${pid}`) && isSystemd(pid),
    async stop() {
      live.delete(sandbox);
      await runTool(["stop", dir], 30_000);
      // Wait for PID 1 of the sandbox to be gone before its overlay directory is removed.
      for (let i = 0; i < 100 && existsSync(`/proc/${pid}`); i++) await new Promise((r) => setTimeout(r, 50));
      await rm(dir, { recursive: true, force: true }).catch(() => {});
    },
  };
  live.add(sandbox);
  return sandbox;
}

function isSystemd(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/comm`, "utf8").trim() === "systemd";
  } catch {
    return false;
  }
}

/** Writes a unit file inside and reloads systemd. */
export async function installUnit(sandbox: SystemdSandbox, name: string, text: string): Promise<void> {
  await sandbox.writeFile(`/etc/systemd/system/${name}`, text);
  await sandbox.exec(["systemctl", "daemon-reload"]);
}

/** Follows a process inside the sandbox until it exits (for `journalctl -f` style streams). */
export function spawnInside(sandbox: SystemdSandbox, argv: readonly string[]) {
  return spawn(sandboxTool, ["run", sandbox.dir, ...argv], { stdio: ["ignore", "pipe", "pipe"] });
}

process.once("exit", () => {
  for (const s of live) {
    try {
      process.kill(s.pid, "SIGKILL");
    } catch {}
  }
});
