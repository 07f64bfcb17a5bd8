/**
 * A service's owner as the root helper finds it (the unit's `User=`, else the owner of its source
 * root; never root), and the two ways the helper acts as that owner: a child process started with
 * the owner's uid and gid, and file operations done in the helper with the owner's effective ids, so
 * the kernel applies the owner's permissions to every write.
 */
import { readFileSync } from "node:fs";
import { stat } from "node:fs/promises";
import { type ExecResult, execArgv } from "../adapters/exec.ts";

/** A user from /etc/passwd. */
export interface Owner {
  readonly uid: number;
  readonly gid: number;
  readonly name: string;
  readonly home: string;
}

const PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

function passwd(match: (fields: string[]) => boolean): Owner | null {
  const f = readFileSync("/etc/passwd", "utf8")
    .split("\n")
    .map((l) => l.split(":"))
    .find((fields) => fields.length >= 7 && match(fields));
  return f ? { name: f[0] ?? "", uid: Number(f[2]), gid: Number(f[3]), home: f[5] || "/" } : null;
}

/**
 * The user a service's code steps run as: its unit's `User=` when that is not root, else the owner of
 * `root` when that is not root; null when both are root (the helper then refuses: code never runs as root here).
 */
export async function serviceOwner(unit: string, root: string): Promise<Owner | null> {
  const shown = await execArgv("systemctl", ["show", "-p", "User", "--value", "--", unit], {
    env: { PATH },
  }).catch(() => null);
  const user = shown?.code === 0 ? shown.stdout.trim() : "";
  if (user !== "" && user !== "root" && user !== "0") {
    const byName = passwd((f) => f[0] === user || f[2] === user);
    if (byName && byName.uid !== 0) return byName;
  }
  const s = await stat(root).catch(() => null);
  if (!s || s.uid === 0) return null;
  return passwd((f) => Number(f[2]) === s.uid) ?? { uid: s.uid, gid: s.gid, name: String(s.uid), home: "/" };
}

/** The environment of a process run as `owner`: a login's basics, nothing of voxops's. */
export function ownerEnvironment(
  owner: Owner,
  extra: Readonly<Record<string, string>> = {},
): NodeJS.ProcessEnv {
  return {
    PATH,
    HOME: owner.home,
    USER: owner.name,
    LOGNAME: owner.name,
    LANG: "C.UTF-8",
    GIT_TERMINAL_PROMPT: "0",
    ...extra,
  };
}

/** Runs `argv` in `cwd` as `owner`, bounded in time, its output collected. */
export function runAsOwner(
  owner: Owner,
  cwd: string,
  argv: readonly string[],
  options: { timeoutMs: number; env?: Readonly<Record<string, string>>; input?: string | Buffer },
): Promise<ExecResult> {
  const [bin, ...rest] = argv;
  return execArgv(bin ?? "false", rest, {
    cwd,
    uid: owner.uid,
    gid: owner.gid,
    env: ownerEnvironment(owner, options.env),
    timeoutMs: options.timeoutMs,
    maxOutput: 400_000,
    ...(options.input === undefined ? {} : { input: options.input }),
  });
}

/** Git as `owner`: hooks and the file-system monitor off, whatever the repository's configuration says. */
export function gitAsOwner(
  owner: Owner,
  cwd: string,
  args: readonly string[],
  options: { timeoutMs?: number; env?: Readonly<Record<string, string>>; input?: string } = {},
): Promise<ExecResult> {
  return runAsOwner(
    owner,
    cwd,
    ["git", "-c", "core.hooksPath=/dev/null", "-c", "core.fsmonitor=false", ...args],
    {
      timeoutMs: options.timeoutMs ?? 120_000,
      env: { LC_ALL: "C", ...options.env },
      ...(options.input === undefined ? {} : { input: options.input }),
    },
  );
}

/**
 * Runs `work` with the helper's effective user and groups switched to `owner` (root's come back
 * after): a write the owner could not make fails as it would for the owner.
 */
export async function withOwnerRights<T>(owner: Owner, work: () => Promise<T>): Promise<T> {
  if (!process.seteuid || !process.setegid || !process.setgroups)
    throw new Error("this platform cannot switch effective users");
  process.setgroups([owner.gid]);
  process.setegid(owner.gid);
  process.seteuid(owner.uid);
  try {
    return await work();
  } finally {
    process.seteuid(0);
    process.setegid(0);
    process.setgroups([0]);
  }
}
