/**
 * Records the processes a test starts on this machine in the run's directory (TEST_RUN_SANDBOX_DIR,
 * test/support/sandbox-reaper.ts), so that the run's end kills those a killed worker left running: a
 * sidecar orphaned that way would redial its dead controller, and a service hold its port, for ever.
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const dirOf = (runDir: string) => join(runDir, "children");

/** The process's start time in clock ticks since boot (/proc/PID/stat field 22): a PID reused later differs. */
function startTime(pid: number | string): string {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  return stat.slice(stat.lastIndexOf(")") + 2).split(" ")[19] ?? "";
}

/** Notes `pid` as started by this run (nothing outside a run, e.g. a bench script). */
export function noteChild(pid: number | undefined): void {
  const runDir = process.env["TEST_RUN_SANDBOX_DIR"];
  if (!runDir || pid === undefined) return;
  try {
    mkdirSync(dirOf(runDir), { recursive: true });
    writeFileSync(join(dirOf(runDir), String(pid)), startTime(pid));
  } catch {
    // Already gone.
  }
}

/** Kills the noted processes still running as they were started; returns how many. */
export function killNotedChildren(runDir: string): number {
  let killed = 0;
  let names: string[] = [];
  try {
    names = readdirSync(dirOf(runDir));
  } catch {
    return 0;
  }
  for (const name of names) {
    try {
      const noted = readFileSync(join(dirOf(runDir), name), "utf8");
      if (noted !== "" && startTime(name) === noted) {
        process.kill(Number(name), "SIGKILL");
        killed++;
      }
    } catch {
      // Gone, or not ours.
    }
  }
  rmSync(dirOf(runDir), { recursive: true, force: true });
  return killed;
}
