/** The stand-in `systemctl`: start/stop/restart/reload/is-active/show/list-units --failed/reset-failed/reboot. */
import { spawn, spawnSync } from "node:child_process";
import { appendFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import {
  alive,
  knownUnits,
  loadUnit,
  managerLog,
  readState,
  rssBytes,
  stateDir,
  stopMarker,
  systemdTimestamp,
  type Unit,
  unitId,
  writeState,
} from "./store.ts";

const dir = stateDir();
const argv = process.argv.slice(2);
const flags = new Set(argv.filter((a) => a.startsWith("-")));
const props: string[] = [];
const words: string[] = [];
for (let i = 0; i < argv.length; i++) {
  const a = argv[i] ?? "";
  if (a === "-p" || a === "--property") props.push(...(argv[++i] ?? "").split(","));
  else if (a.startsWith("--property=")) props.push(...a.slice(11).split(","));
  else if (a.startsWith("-p") && a.length > 2) props.push(...a.slice(2).split(","));
  else if (!a.startsWith("-")) words.push(a);
}
const [verb, ...names] = words;
const quiet = flags.has("-q") || flags.has("--quiet");

function out(text: string): void {
  process.stdout.write(`${text}\n`);
}

function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

function needUnit(verbName: string, name: string): Unit {
  const unit = loadUnit(dir, unitId(name));
  if (!unit) {
    process.stderr.write(`Failed to ${verbName} ${unitId(name)}: Unit ${unitId(name)} not found.\n`);
    process.exit(5);
  }
  return unit;
}

function start(unit: Unit): void {
  const state = readState(dir, unit.id);
  if ((state.activeState === "active" || state.activeState === "activating") && alive(state.supervisorPid))
    return;
  rmSync(stopMarker(dir, unit.id), { force: true });
  writeState(dir, unit.id, { ...state, activeState: "activating", subState: "start", mainPid: 0 });
  const supervisor = fileURLToPath(new URL("./supervisor.ts", import.meta.url));
  const child = spawn(process.execPath, [supervisor, dir, unit.id], { detached: true, stdio: "ignore" });
  child.unref();
  const until = Date.now() + 5000;
  while (Date.now() < until) {
    const s = readState(dir, unit.id);
    if (s.activeState !== "activating" || s.subState !== "start") return;
    sleep(20);
  }
}

function stop(unit: Unit): void {
  const state = readState(dir, unit.id);
  if (state.activeState === "inactive" || state.activeState === "failed") return;
  writeFileSync(stopMarker(dir, unit.id), String(Date.now()));
  managerLog(dir, unit.id, 6, `Stopping ${unit.description}...`);
  writeState(dir, unit.id, { ...state, activeState: "deactivating", subState: "stop-sigterm" });
  signal(state.mainPid, "SIGTERM");
  if (waitStopped(unit.id, state.supervisorPid, unit.timeoutStopSec * 1000)) return;
  managerLog(dir, unit.id, 4, `${unit.id}: State 'stop-sigterm' timed out. Killing.`);
  signal(state.mainPid, "SIGKILL");
  if (waitStopped(unit.id, state.supervisorPid, 2000)) return;
  signal(state.supervisorPid, "SIGKILL");
  writeState(dir, unit.id, {
    ...readState(dir, unit.id),
    activeState: "inactive",
    subState: "dead",
    mainPid: 0,
    supervisorPid: 0,
    inactiveEnterMs: Date.now(),
  });
  rmSync(stopMarker(dir, unit.id), { force: true });
}

function waitStopped(id: string, supervisorPid: number, ms: number): boolean {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    const s = readState(dir, id);
    if (s.activeState === "inactive" || s.activeState === "failed") return true;
    if (!alive(supervisorPid) && !alive(s.mainPid)) {
      writeState(dir, id, { ...s, activeState: "inactive", subState: "dead", mainPid: 0, supervisorPid: 0 });
      rmSync(stopMarker(dir, id), { force: true });
      return true;
    }
    sleep(25);
  }
  return false;
}

function signal(pid: number, sig: NodeJS.Signals): void {
  if (pid <= 0) return;
  try {
    process.kill(pid, sig);
  } catch {
    // already gone
  }
}

function show(name: string): void {
  const id = unitId(name);
  const unit = loadUnit(dir, id);
  const s = readState(dir, id);
  const running = s.mainPid > 0 && alive(s.mainPid);
  const memory = running ? rssBytes(s.mainPid) : null;
  const all: [string, string][] = [
    ["Id", id],
    ["Description", unit?.description ?? id],
    ["LoadState", unit ? "loaded" : "not-found"],
    ["ActiveState", s.activeState],
    ["SubState", s.subState],
    ["MainPID", String(running ? s.mainPid : 0)],
    ["ExecMainStatus", String(s.execMainStatus)],
    ["Result", s.result],
    ["NRestarts", String(s.nRestarts)],
    ["ActiveEnterTimestamp", systemdTimestamp(s.activeEnterMs)],
    ["InactiveEnterTimestamp", systemdTimestamp(s.inactiveEnterMs)],
    ["MemoryCurrent", memory === null ? "[not set]" : String(memory)],
    ["FragmentPath", unit?.fragmentPath ?? ""],
  ];
  const wanted = props.length > 0 ? all.filter(([k]) => props.includes(k)) : all;
  for (const [k, v] of wanted) out(flags.has("--value") ? v : `${k}=${v}`);
}

function listFailed(): void {
  const failed = knownUnits(dir).filter((id) => readState(dir, id).activeState === "failed");
  const legend = !flags.has("--no-legend");
  if (legend) out("  UNIT LOAD ACTIVE SUB DESCRIPTION");
  for (const id of failed) {
    const line = `${id} loaded failed failed ${loadUnit(dir, id)?.description ?? id}`;
    out(flags.has("--plain") ? line : `● ${line}`);
  }
  if (legend) out(`\n${failed.length} loaded units listed.`);
}

switch (verb) {
  case "start":
    for (const n of names) start(needUnit("start", n));
    break;
  case "stop":
    for (const n of names) stop(needUnit("stop", n));
    break;
  case "restart":
    for (const n of names) {
      const unit = needUnit("restart", n);
      stop(unit);
      start(unit);
    }
    break;
  case "reload":
    for (const n of names) {
      const unit = needUnit("reload", n);
      const state = readState(dir, unit.id);
      if (!unit.execReload) {
        process.stderr.write(
          `Failed to reload ${unit.id}: Job type reload is not applicable for unit ${unit.id}.\n`,
        );
        process.exit(1);
      }
      if (state.activeState !== "active") {
        process.stderr.write(`${unit.id} is not active, cannot reload.\n`);
        process.exit(1);
      }
      const [file, ...rest] = unit.execReload.map((a) => a.replaceAll("$MAINPID", String(state.mainPid)));
      const r = spawnSync(file ?? "true", rest, { stdio: "ignore", cwd: unit.workingDirectory ?? "/" });
      managerLog(dir, unit.id, 6, `Reloaded ${unit.description}.`);
      if (r.status !== 0) process.exit(1);
    }
    break;
  case "is-active": {
    let any = false;
    for (const n of names) {
      const s = readState(dir, unitId(n)).activeState;
      any ||= s === "active";
      if (!quiet) out(s);
    }
    process.exit(any ? 0 : 3);
    break;
  }
  case "is-failed": {
    let any = false;
    for (const n of names) {
      const s = readState(dir, unitId(n)).activeState;
      any ||= s === "failed";
      if (!quiet) out(s);
    }
    process.exit(any ? 0 : 1);
    break;
  }
  case "show":
    names.forEach((n, i) => {
      if (i > 0) out("");
      show(n);
    });
    break;
  case "list-units":
    if (flags.has("--failed") || flags.has("--state=failed")) listFailed();
    else {
      for (const id of knownUnits(dir)) {
        const s = readState(dir, id);
        if (s.activeState !== "inactive" || flags.has("--all"))
          out(`${id} ${loadUnit(dir, id) ? "loaded" : "not-found"} ${s.activeState} ${s.subState}`);
      }
    }
    break;
  case "reset-failed":
    for (const id of names.length > 0 ? names.map(unitId) : knownUnits(dir)) {
      const s = readState(dir, id);
      if (s.activeState === "failed")
        writeState(dir, id, { ...s, activeState: "inactive", subState: "dead" });
    }
    break;
  case "reboot":
    appendFileSync(
      join(dir, "reboot-requested"),
      `${JSON.stringify({ at: Date.now(), force: flags.has("--force") || flags.has("-f") })}\n`,
    );
    break;
  default:
    process.stderr.write(`Unknown command verb '${verb ?? ""}'.\n`);
    process.exit(1);
}
