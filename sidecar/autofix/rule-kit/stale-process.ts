/**
 * Stale copies of a service: a process holding the service's port that runs the very command of the
 * service's unit (same argv, same working directory) but is not the unit's main process. Only such a
 * process is ever stopped; anything else holding the port is reported.
 */
import { readFile, readlink, stat } from "node:fs/promises";
import { basename } from "node:path";
import { readCmdline } from "../../system/processes.ts";

/** The command a unit runs, from its unit file. */
export interface UnitCommand {
  readonly argv: readonly string[];
  readonly workdir: string | null;
}

/** Splits an ExecStart value into argv the way systemd does for plain words and quotes. */
export function splitExec(value: string): string[] {
  const out: string[] = [];
  const re = /"((?:[^"\\]|\\.)*)"|'([^']*)'|(\S+)/g;
  for (let m = re.exec(value); m; m = re.exec(value)) out.push(m[1] ?? m[2] ?? m[3] ?? "");
  // systemd's prefixes (-@:+!) say how to run the command, they are not part of it.
  if (out[0]) out[0] = out[0].replace(/^[-@:+!]+/, "");
  return out;
}

/** Parses the first ExecStart= and WorkingDirectory= of a unit file's text. */
export function parseUnitCommand(text: string): UnitCommand | null {
  let argv: string[] | null = null;
  let workdir: string | null = null;
  for (const raw of text.split("\n")) {
    const line = raw.trim();
    if (argv === null && line.startsWith("ExecStart=") && line.length > 10) argv = splitExec(line.slice(10));
    if (line.startsWith("WorkingDirectory=")) workdir = line.slice(17).replace(/^-/, "") || null;
  }
  return argv && argv.length > 0 ? { argv, workdir } : null;
}

/** Reads a unit file's command; null when it cannot be read. */
export async function readUnitCommand(fragmentPath: string | null): Promise<UnitCommand | null> {
  if (!fragmentPath) return null;
  try {
    return parseUnitCommand(await readFile(fragmentPath, "utf8"));
  } catch {
    return null;
  }
}

/** The program a process runs (argv[0]'s base name, never its arguments: they may hold secrets). */
export async function commandName(pid: number, proc: string, fallback: string): Promise<string> {
  const argv = await readCmdline(pid, proc);
  return argv?.[0] ? basename(argv[0]).slice(0, 64) : fallback;
}

/** Why a process is or is not a stale copy (shown to the operator in the plan). */
export interface StaleVerdict {
  readonly stale: boolean;
  readonly reason: string;
}

/** Compares a process with the unit's command; `workdir` is the inventory's when the unit has none. */
export async function judgeStale(
  pid: number,
  unit: UnitCommand | null,
  options: { mainPid: number | null; workdir: string | null; proc: string },
): Promise<StaleVerdict> {
  if (pid === options.mainPid) return { stale: false, reason: "it is the unit's own main process" };
  if (pid === process.pid) return { stale: false, reason: "it is the sidecar itself" };
  if (!unit)
    return { stale: false, reason: "the unit's command is unknown, so no process can be matched to it" };
  const argv = await readCmdline(pid, options.proc);
  if (!argv) return { stale: false, reason: "the process is gone or cannot be read" };
  const same =
    argv.length === unit.argv.length &&
    argv.every((a, i) => (i === 0 ? basename(a) === basename(unit.argv[0] ?? "") : a === unit.argv[i]));
  if (!same) return { stale: false, reason: "it runs a different command than the service's unit" };
  const workdir = unit.workdir ?? options.workdir;
  if (workdir) {
    const cwd = await readlink(`${options.proc}/${pid}/cwd`).catch(() => null);
    if (cwd !== workdir.replace(/\/+$/, "") && !(await sameDirectory(`${options.proc}/${pid}/cwd`, workdir)))
      return { stale: false, reason: "it runs the service's command but in another directory" };
  }
  return { stale: true, reason: "it runs the service's command outside its unit (a stale copy)" };
}

/**
 * True when two paths are the same directory by device and inode: a process in another mount
 * namespace (a sandboxed unit, or the sidecar's own under ProtectSystem=) shows its cwd by another path.
 */
async function sameDirectory(a: string, b: string): Promise<boolean> {
  const [x, y] = await Promise.all([stat(a).catch(() => null), stat(b).catch(() => null)]);
  return x !== null && y !== null && x.dev === y.dev && x.ino === y.ino;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

async function alive(pid: number, proc: string): Promise<boolean> {
  try {
    const stat = await readFile(`${proc}/${pid}/stat`, "utf8");
    // The state follows the parenthesised command name; a zombie holds no port any more.
    return stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3) !== "Z";
  } catch {
    return false;
  }
}

/** Stops a process: SIGTERM, then SIGKILL after `graceMs`; resolves with how it ended. */
export async function terminate(
  pid: number,
  options: { graceMs?: number; proc?: string } = {},
): Promise<{ stopped: boolean; signal: "SIGTERM" | "SIGKILL" | null }> {
  const proc = options.proc ?? "/proc";
  const wait = async (ms: number): Promise<boolean> => {
    const until = Date.now() + ms;
    while (Date.now() < until) {
      if (!(await alive(pid, proc))) return true;
      await sleep(50);
    }
    return !(await alive(pid, proc));
  };
  try {
    process.kill(pid, "SIGTERM");
  } catch {
    return { stopped: !(await alive(pid, proc)), signal: null };
  }
  if (await wait(options.graceMs ?? 5000)) return { stopped: true, signal: "SIGTERM" };
  try {
    process.kill(pid, "SIGKILL");
  } catch {
    // gone between the check and the kill
  }
  return { stopped: await wait(2000), signal: "SIGKILL" };
}
