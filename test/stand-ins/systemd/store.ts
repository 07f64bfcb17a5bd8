/** The stand-in's state directory: unit files, per-unit state, per-unit journal files and the reboot log. */
import {
  appendFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  writeFileSync,
} from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";

/** A unit file reduced to what the stand-in understands. */
export interface Unit {
  readonly id: string;
  readonly description: string;
  readonly fragmentPath: string;
  readonly execStart: string[];
  readonly execReload: string[] | null;
  readonly workingDirectory: string | null;
  readonly environment: Record<string, string>;
  readonly restart: "no" | "on-failure" | "always";
  readonly restartSec: number;
  readonly timeoutStopSec: number;
  /** StartLimitBurst= and StartLimitIntervalSec= (0 turns the start limit off, as in systemd). */
  readonly startLimitBurst: number;
  readonly startLimitIntervalSec: number;
}

/** What the stand-in remembers about a unit between invocations. */
export interface UnitState {
  activeState: "active" | "inactive" | "failed" | "activating" | "deactivating";
  subState: string;
  mainPid: number;
  supervisorPid: number;
  activeEnterMs: number;
  inactiveEnterMs: number;
  result: string;
  execMainStatus: number;
  nRestarts: number;
}

/** One journal entry as stored on disk. */
export interface Entry {
  readonly us: number;
  readonly priority: number;
  readonly message: string;
  readonly unit: string;
  readonly pid: number;
  readonly identifier: string;
  /** True for messages from "systemd" itself about the unit (UNIT= instead of _SYSTEMD_UNIT=). */
  readonly manager: boolean;
}

/** The state directory named by VOXOPS_STANDIN_DIR. */
export function stateDir(): string {
  const dir = process.env["VOXOPS_STANDIN_DIR"];
  if (!dir) {
    process.stderr.write("VOXOPS_STANDIN_DIR is not set\n");
    process.exit(1);
  }
  for (const sub of ["units", "state", "journal"]) mkdirSync(join(dir, sub), { recursive: true });
  return dir;
}

/** "foo" → "foo.service", like systemctl does. */
export function unitId(name: string): string {
  return /\.(service|socket|timer|target|mount|path)$/.test(name) ? name : `${name}.service`;
}

/** Splits an Exec line into argv, honouring double and single quotes (no variables, no globbing). */
export function splitExec(line: string): string[] {
  const argv: string[] = [];
  const re = /"((?:[^"\\]|\\.)*)"|'([^']*)'|(\S+)/g;
  for (let m = re.exec(line); m; m = re.exec(line)) argv.push(m[1] ?? m[2] ?? m[3] ?? "");
  return argv;
}

/** Reads a unit file, or null when there is none (LoadState=not-found). */
export function loadUnit(dir: string, id: string): Unit | null {
  const path = join(dir, "units", id);
  if (!existsSync(path)) return null;
  const keys = new Map<string, string>();
  const environment: Record<string, string> = {};
  for (const raw of readFileSync(path, "utf8").split("\n")) {
    const line = raw.trim();
    if (line === "" || line.startsWith("#") || line.startsWith(";") || line.startsWith("[")) continue;
    const eq = line.indexOf("=");
    if (eq < 0) continue;
    const key = line.slice(0, eq).trim();
    const value = line.slice(eq + 1).trim();
    if (key === "Environment") {
      for (const pair of splitExec(value)) {
        const i = pair.indexOf("=");
        if (i > 0) environment[pair.slice(0, i)] = pair.slice(i + 1);
      }
    } else keys.set(key, value);
  }
  const restart = keys.get("Restart");
  return {
    id,
    description: keys.get("Description") ?? id,
    fragmentPath: path,
    execStart: splitExec(keys.get("ExecStart") ?? ""),
    execReload: keys.has("ExecReload") ? splitExec(keys.get("ExecReload") ?? "") : null,
    workingDirectory: keys.get("WorkingDirectory") ?? null,
    environment,
    restart: restart === "on-failure" || restart === "always" ? restart : "no",
    restartSec: seconds(keys.get("RestartSec") ?? "100ms"),
    timeoutStopSec: seconds(keys.get("TimeoutStopSec") ?? "5"),
    startLimitBurst: Number(keys.get("StartLimitBurst") ?? 5),
    startLimitIntervalSec: seconds(keys.get("StartLimitIntervalSec") ?? "10"),
  };
}

function seconds(text: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*(ms|s|sec|min)?$/.exec(text);
  if (!m) return 0;
  const n = Number(m[1]);
  return m[2] === "ms" ? n / 1000 : m[2] === "min" ? n * 60 : n;
}

/** Every unit id that has a unit file or a state file. */
export function knownUnits(dir: string): string[] {
  const ids = new Set<string>();
  for (const f of readdirSync(join(dir, "units"))) ids.add(f);
  for (const f of readdirSync(join(dir, "state"))) if (f.endsWith(".json")) ids.add(f.slice(0, -5));
  return [...ids].sort();
}

const fresh: UnitState = {
  activeState: "inactive",
  subState: "dead",
  mainPid: 0,
  supervisorPid: 0,
  activeEnterMs: 0,
  inactiveEnterMs: 0,
  result: "success",
  execMainStatus: 0,
  nRestarts: 0,
};

/** A unit's state; a unit never started is inactive (dead). */
export function readState(dir: string, id: string): UnitState {
  try {
    return { ...fresh, ...(JSON.parse(readFileSync(join(dir, "state", `${id}.json`), "utf8")) as UnitState) };
  } catch {
    return { ...fresh };
  }
}

/** Replaces a unit's state atomically. */
export function writeState(dir: string, id: string, state: UnitState): void {
  const path = join(dir, "state", `${id}.json`);
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(state));
  renameSync(tmp, path);
}

/** Path of the marker that tells a unit's supervisor a stop was asked for. */
export function stopMarker(dir: string, id: string): string {
  return join(dir, "state", `${id}.stopping`);
}

/** Path of a unit's journal file (one JSON entry a line). */
export function journalFile(dir: string, id: string): string {
  return join(dir, "journal", `${id}.jsonl`);
}

/** Appends one entry to a unit's journal. */
export function writeEntry(dir: string, entry: Omit<Entry, "us"> & { us?: number }): void {
  const us = entry.us ?? Math.round((performance.timeOrigin + performance.now()) * 1000);
  appendFileSync(journalFile(dir, entry.unit), `${JSON.stringify({ ...entry, us })}\n`);
}

/** A message from "systemd" itself about a unit. */
export function managerLog(dir: string, unit: string, priority: number, message: string): void {
  writeEntry(dir, { unit, priority, message, pid: 1, identifier: "systemd", manager: true });
}

/** True while a process with this pid exists. */
export function alive(pid: number): boolean {
  if (pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Resident memory of a process in bytes, from /proc/PID/status (VmRSS), or null. */
export function rssBytes(pid: number): number | null {
  try {
    const m = /^VmRSS:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return m?.[1] ? Number(m[1]) * 1024 : null;
  } catch {
    return null;
  }
}

/** "Mon 2024-11-25 10:11:12 UTC" in local time, the way systemctl show prints timestamps. */
export function systemdTimestamp(ms: number): string {
  if (ms <= 0) return "";
  const d = new Date(ms);
  const day = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"][d.getDay()];
  const zone =
    new Intl.DateTimeFormat("en-US", { timeZoneName: "short" })
      .formatToParts(d)
      .find((p) => p.type === "timeZoneName")?.value ?? "UTC";
  return `${day} ${d.getFullYear()}-${p2(d.getMonth() + 1)}-${p2(d.getDate())} ${p2(d.getHours())}:${p2(d.getMinutes())}:${p2(d.getSeconds())} ${zone}`;
}

/** "2024-11-25T10:11:12+00:00" in local time, the way journalctl -o short-iso prints it. */
export function isoLocal(ms: number): string {
  const d = new Date(ms);
  const off = -d.getTimezoneOffset();
  const sign = off >= 0 ? "+" : "-";
  const abs = Math.abs(off);
  return `${d.getFullYear()}-${p2(d.getMonth() + 1)}-${p2(d.getDate())}T${p2(d.getHours())}:${p2(d.getMinutes())}:${p2(d.getSeconds())}${sign}${p2(Math.floor(abs / 60))}:${p2(abs % 60)}`;
}

function p2(n: number): string {
  return String(n).padStart(2, "0");
}

/** This machine's name, as journalctl prints it. */
export const host = hostname();
