/**
 * How the sidecar gets the rights its actions need. Installed on a VM it runs as the unprivileged
 * `voxops` user and asks the root helper (VOXOPS_HELPER, run through `sudo -n`) for the few steps that
 * need more; the helper checks each against the root-owned inventory. Without VOXOPS_HELPER (the local
 * run, the tests' stand-in VMs) every step runs directly as the sidecar's own user.
 */

import { AdapterError } from "./adapter-error.ts";
import { type ExecOptions, type ExecResult, execArgv, tail } from "./exec.ts";
import { type Git, gitFrom } from "./git.ts";
import type { DeclaredEntry } from "./read-declared.ts";

/** The privileged steps, each either through the helper or done directly. */
export interface Privilege {
  /** The helper's path, or null when the sidecar does everything itself. */
  readonly helper: string | null;
  /** Replaces a declared file (config, restore) as root, keeping its owner and mode. */
  putFile(path: string, content: string | Buffer, mode?: number): Promise<void>;
  /** Reads a declared path the `voxops` user may not read (for a backup), as root. */
  readDeclared(path: string): Promise<DeclaredEntry>;
  /** Removes the rotated copies of `service`'s declared log files (never the live logs) as root. */
  removeRotatedLogs(service: string): Promise<{ removed: string[]; freedB: number }>;
  /** Removes a declared file as root (a rollback of a change that created it); refused for other paths. */
  removeFile(path: string): Promise<void>;
  /** Stops a stale copy of `service` (the helper judges it again before stopping it). */
  stopStale(service: string, pid: number): Promise<{ stopped: boolean; signal: string | null }>;
  /** Who holds `port` and whether each is a stale copy of `service` (judged by the helper as root, read-only). */
  portHolders(service: string, port: number): Promise<PortHolder[]>;
  /**
   * Runs the inventory's check command for a config file as the user its service runs as (root for
   * nginx's master, as `nginx -t` needs); `candidate` is checked in place of "{file}". Returns the
   * problem, or null when the check passed.
   */
  checkConfig(service: string, path: string, candidate?: string): Promise<string | null>;
  /** Vacuums the journal down to `maxBytes`. */
  vacuumJournal(maxBytes: number): Promise<string>;
  /** `systemctl reboot --force` as root. */
  rebootForce(): Promise<void>;
  /** Git in `service`'s checkout as the checkout's owner. */
  ownerGit(service: string): Git;
  /** Runs one of `service`'s build or dependency steps as its owner. */
  ownerRun(service: string, cwd: string, argv: readonly string[], options: ExecOptions): Promise<ExecResult>;
  /** Runs one of the helper's code operations (sidecar/privilege/code-ops.ts) as `service`'s owner. */
  code(op: string, service: string, args: readonly string[], options: ExecOptions): Promise<ExecResult>;
}

/** A process holding a port, as the helper judged it. */
export interface PortHolder {
  readonly pid: number;
  readonly name: string;
  readonly stale: boolean;
  readonly why: string;
}

const REFUSED = 3;

/** Creates the helper client; `helper` null means there is none. */
export function createHelperPrivilege(helper: string, env: NodeJS.ProcessEnv): Privilege {
  const call = (args: string[], options: ExecOptions = {}) =>
    execArgv("sudo", ["-n", helper, ...args], { env, timeoutMs: 120_000, ...options });
  const fail = (what: string, r: ExecResult): AdapterError =>
    new AdapterError(
      r.code === REFUSED ? "refused-by-helper" : "helper-failed",
      `${what}: ${tail(r.stderr || r.stdout, 3).replace(/^voxops-helper: /, "")}`,
      { detail: tail(r.stderr) },
    );
  // git as the service's owner, through the helper; failures read as the sidecar's own git's do.
  const ownerGit = (service: string): Git =>
    gitFrom((_cwd, args, opts = {}) =>
      call(["as-owner", service, "git", ...args], { timeoutMs: opts.timeoutMs ?? 120_000 }),
    );
  return {
    helper,
    async putFile(path, content, mode) {
      const r = await call(["put-file", path, ...(mode === undefined ? [] : [(mode & 0o777).toString(8)])], {
        input: content,
      });
      if (r.code !== 0) throw fail(`cannot write ${path}`, r);
    },
    async stopStale(service, pid) {
      const r = await call(["stop-stale", service, String(pid)]);
      if (r.code === REFUSED) throw fail(`process ${pid} was not stopped`, r);
      const parsed = /\{.*\}/.exec(r.stdout);
      return parsed
        ? (JSON.parse(parsed[0]) as { stopped: boolean; signal: string | null })
        : { stopped: false, signal: null };
    },
    async readDeclared(path) {
      const r = await call(["read-declared", path]);
      if (r.code !== 0) throw fail(`cannot read ${path} for the backup`, r);
      return JSON.parse(r.stdout) as DeclaredEntry;
    },
    async removeRotatedLogs(service) {
      const r = await call(["remove-rotated-logs", service]);
      if (r.code !== 0) throw fail(`cannot remove ${service}'s rotated logs`, r);
      return JSON.parse(r.stdout) as { removed: string[]; freedB: number };
    },
    async removeFile(path) {
      const r = await call(["remove-file", path]);
      if (r.code !== 0) throw fail(`cannot remove ${path}`, r);
    },
    async portHolders(service, port) {
      const r = await call(["port-holders", service, String(port)]);
      if (r.code !== 0) throw fail(`cannot see who holds port ${port}`, r);
      return JSON.parse(r.stdout) as PortHolder[];
    },
    async checkConfig(service, path, candidate) {
      const r = await call(["check-config", service, path], { input: candidate ?? "" });
      if (r.code === REFUSED) throw fail(`the check of ${path} was refused`, r);
      return r.code === 0
        ? null
        : `the check refused it (exit ${r.code}): ${tail(`${r.stderr}\n${r.stdout}`, 6)}`;
    },
    async vacuumJournal(maxBytes) {
      const r = await call(["vacuum-journal", String(Math.floor(maxBytes))]);
      if (r.code !== 0) throw fail("the journal was not vacuumed", r);
      return r.stdout.trim();
    },
    async rebootForce() {
      const r = await call(["reboot-force"], { timeoutMs: 30_000 });
      if (r.code !== 0) throw fail("the forced reboot was refused", r);
    },
    ownerGit,
    code: (op, service, args, options) =>
      call([op, service, ...args], {
        ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
        ...(options.signal ? { signal: options.signal } : {}),
        ...(options.input === undefined ? {} : { input: options.input }),
      }),
    ownerRun: (service, cwd, argv, options) =>
      call(["as-owner", service, "run", cwd, "--", ...argv], {
        ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
        ...(options.signal ? { signal: options.signal } : {}),
      }),
  };
}
