/** Processes from /proc/[pid]: who uses the most memory, and the facts about one process. */
import { readdir, readFile } from "node:fs/promises";

/** One process, as much as the operator needs to see (no full command line: it may hold secrets). */
export interface ProcessInfo {
  readonly pid: number;
  readonly ppid: number;
  readonly name: string;
  readonly rssB: number;
}

/** Parses /proc/[pid]/status into name, parent and resident memory. */
export function parseStatus(pid: number, text: string): ProcessInfo {
  const get = (key: string): string => new RegExp(`^${key}:\\s*(.*)$`, "m").exec(text)?.[1]?.trim() ?? "";
  const rss = /^(\d+)\s*kB/.exec(get("VmRSS"));
  return {
    pid,
    ppid: Number(get("PPid")) || 0,
    name: get("Name"),
    rssB: rss?.[1] ? Number(rss[1]) * 1024 : 0,
  };
}

/** Reads one process, or null when it is gone. */
export async function readProcess(pid: number, proc = "/proc"): Promise<ProcessInfo | null> {
  try {
    return parseStatus(pid, await readFile(`${proc}/${pid}/status`, "utf8"));
  } catch {
    return null;
  }
}

/** The argv of a process (for matching a stale copy of a service; never shown to the operator). */
export async function readCmdline(pid: number, proc = "/proc"): Promise<string[] | null> {
  try {
    const raw = await readFile(`${proc}/${pid}/cmdline`, "utf8");
    return raw.split("\0").filter((a) => a !== "");
  } catch {
    return null;
  }
}

/** Every process id in `proc`. */
export async function listPids(proc = "/proc"): Promise<number[]> {
  return (await readdir(proc)).filter((d) => /^\d+$/.test(d)).map(Number);
}

/** A process as the metrics show it: with the command the operator recognises it by. */
export interface TopProcess extends ProcessInfo {
  /** The program and its leading arguments up to the first option (options may carry secrets). */
  readonly command: string;
}

/**
 * What to show of a command line: the program's file name and up to two leading arguments (the script
 * or subcommand), stopping at the first option or `name=value`, since those may carry secrets. The
 * kernel's thread name alone says little ("MainThread" for every Node 22+ process).
 */
export function shownCommand(argv: readonly string[], name: string): string {
  const [program, ...rest] = argv;
  if (program === undefined) return `[${name}]`;
  const shown = [program.split("/").at(-1) ?? program];
  for (const arg of rest.slice(0, 2)) {
    if (arg.startsWith("-") || arg.includes("=")) break;
    shown.push(arg.length > 80 ? `${arg.slice(0, 79)}…` : arg);
  }
  return shown.join(" ");
}

/** The `limit` processes with the largest resident memory, largest first. */
export async function topByMemory(limit = 10, proc = "/proc"): Promise<TopProcess[]> {
  const all = await Promise.all((await listPids(proc)).map((pid) => readProcess(pid, proc)));
  const top = all
    .filter((p): p is ProcessInfo => p !== null && p.rssB > 0)
    .sort((a, b) => b.rssB - a.rssB)
    .slice(0, limit);
  return Promise.all(
    top.map(async (p) => ({ ...p, command: shownCommand((await readCmdline(p.pid, proc)) ?? [], p.name) })),
  );
}
