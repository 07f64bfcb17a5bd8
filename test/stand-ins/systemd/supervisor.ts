/**
 * Plays the part of PID 1 for one unit: spawns ExecStart as a real child, sends its stdout/stderr to the
 * unit's journal (with `<N>` priority prefixes, like SyslogLevelPrefix=yes), records state, applies Restart=.
 * Started detached by `systemctl start`; exits when the unit stops or fails for good.
 */
import { spawn } from "node:child_process";
import { existsSync, rmSync } from "node:fs";
import { basename } from "node:path";
import { createInterface } from "node:readline";
import { loadUnit, managerLog, readState, stopMarker, type Unit, writeEntry, writeState } from "./store.ts";

const [dir, id] = process.argv.slice(2);
if (!dir || !id) process.exit(2);
const unit = loadUnit(dir, id);
if (!unit) process.exit(2);

const START_LIMIT_BURST = unit.startLimitBurst;
const START_LIMIT_INTERVAL_MS = unit.startLimitIntervalSec * 1000;
const starts: number[] = [];

function stopping(): boolean {
  return existsSync(stopMarker(dir!, id!));
}

function run(u: Unit): void {
  const now = Date.now();
  starts.push(now);
  while (starts.length > 0 && (starts[0] ?? 0) < now - START_LIMIT_INTERVAL_MS) starts.shift();
  const [file, ...args] = u.execStart;
  if (!file) {
    fail(u, "exit-code", 203, "Service has no ExecStart= setting. Refusing.");
    return;
  }
  const child = spawn(file, args, {
    cwd: u.workingDirectory ?? "/",
    env: { ...process.env, ...u.environment },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const state = readState(dir!, id!);
  child.on("error", (e: NodeJS.ErrnoException) => {
    managerLog(
      dir!,
      id!,
      3,
      `${id}: Failed to execute ${file}: ${e.code === "ENOENT" ? "No such file or directory" : e.message}`,
    );
    managerLog(dir!, id!, 5, `${id}: Main process exited, code=exited, status=203/EXEC`);
    fail(u, "exit-code", 203, null);
  });
  if (child.pid === undefined) return;
  const pid = child.pid;
  writeState(dir!, id!, {
    ...state,
    activeState: "active",
    subState: "running",
    mainPid: pid,
    supervisorPid: process.pid,
    activeEnterMs: Date.now(),
    result: "success",
  });
  managerLog(dir!, id!, 6, `Started ${u.description}.`);
  const identifier = basename(file);
  for (const stream of [child.stdout, child.stderr]) {
    createInterface({ input: stream }).on("line", (line) => {
      const m = /^<([0-7])>(.*)$/.exec(line);
      writeEntry(dir!, {
        unit: id!,
        priority: m ? Number(m[1]) : 6,
        message: m ? (m[2] ?? "") : line,
        pid,
        identifier,
        manager: false,
      });
    });
  }
  child.on("close", (code, signal) => {
    const how = signal
      ? `code=killed, status=${signalNumber(signal)}/${signal.replace(/^SIG/, "")}`
      : `code=exited, status=${code ?? 0}/${code === 0 ? "SUCCESS" : "FAILURE"}`;
    if (stopping()) {
      writeState(dir!, id!, {
        ...readState(dir!, id!),
        activeState: "inactive",
        subState: "dead",
        mainPid: 0,
        supervisorPid: 0,
        inactiveEnterMs: Date.now(),
        result: "success",
      });
      managerLog(dir!, id!, 6, `Stopped ${u.description}.`);
      rmSync(stopMarker(dir!, id!), { force: true });
      process.exit(0);
    }
    if (!signal && code === 0) {
      managerLog(dir!, id!, 6, `${id}: Deactivated successfully.`);
      if (u.restart === "always") return restartLater(u, 0);
      writeState(dir!, id!, {
        ...readState(dir!, id!),
        activeState: "inactive",
        subState: "dead",
        mainPid: 0,
        supervisorPid: 0,
        inactiveEnterMs: Date.now(),
        result: "success",
        execMainStatus: 0,
      });
      process.exit(0);
    }
    managerLog(dir!, id!, signal ? 6 : 5, `${id}: Main process exited, ${how}`);
    const result = signal ? "signal" : "exit-code";
    if (u.restart !== "no") return restartLater(u, code ?? 0, result);
    fail(u, result, code ?? signalNumber(signal ?? "SIGKILL"), null);
  });
}

function restartLater(u: Unit, status: number, result = "success"): void {
  if (START_LIMIT_INTERVAL_MS > 0 && START_LIMIT_BURST > 0 && starts.length >= START_LIMIT_BURST) {
    managerLog(dir!, id!, 3, `${id}: Start request repeated too quickly.`);
    fail(u, "start-limit-hit", status, null);
    return;
  }
  const state = readState(dir!, id!);
  writeState(dir!, id!, {
    ...state,
    activeState: "activating",
    subState: "auto-restart",
    mainPid: 0,
    supervisorPid: process.pid,
    result,
    execMainStatus: status,
  });
  setTimeout(() => {
    if (stopping()) {
      writeState(dir!, id!, {
        ...readState(dir!, id!),
        activeState: "inactive",
        subState: "dead",
        supervisorPid: 0,
      });
      rmSync(stopMarker(dir!, id!), { force: true });
      process.exit(0);
    }
    const next = readState(dir!, id!);
    writeState(dir!, id!, { ...next, nRestarts: next.nRestarts + 1 });
    managerLog(dir!, id!, 6, `${id}: Scheduled restart job, restart counter is at ${next.nRestarts + 1}.`);
    run(u);
  }, u.restartSec * 1000);
}

function fail(u: Unit, result: string, status: number, message: string | null): void {
  if (message) managerLog(dir!, id!, 3, `${id}: ${message}`);
  managerLog(dir!, id!, 4, `${id}: Failed with result '${result}'.`);
  writeState(dir!, id!, {
    ...readState(dir!, id!),
    activeState: "failed",
    subState: "failed",
    mainPid: 0,
    supervisorPid: 0,
    inactiveEnterMs: Date.now(),
    result,
    execMainStatus: status,
  });
  void u;
  process.exit(0);
}

function signalNumber(signal: string): number {
  return (
    ({ SIGHUP: 1, SIGINT: 2, SIGKILL: 9, SIGTERM: 15, SIGABRT: 6, SIGSEGV: 11 } as Record<string, number>)[
      signal
    ] ?? 0
  );
}

process.on("SIGTERM", () => {});
run(unit);
