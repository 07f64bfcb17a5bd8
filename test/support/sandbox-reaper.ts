/**
 * Vitest global setup: every systemd sandbox of one test run lives in the run's own directory under
 * /var/tmp/voxops-test (TEST_RUN_SANDBOX_DIR, inherited by the test workers), and at the end of
 * the run (or at the start of the next, when the run was killed) the sandboxes still booted there
 * are stopped and the directory is removed. A worker that was killed (a timed-out file) never runs
 * its own `stop()` or exit handler; without this its systemd, journald and services would keep
 * running after the run. Processes the tests started on this machine and left running are killed
 * too (test/support/run-children.ts). Other runs' directories in the same /var/tmp are never touched.
 */
import { execFile } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { mkdir, mkdtemp, readdir, rm } from "node:fs/promises";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { killNotedChildren } from "./run-children.ts";

const ROOT = "/var/tmp/voxops-test";
const sandboxTool = resolve(import.meta.dirname, "..", "..", "..", "shared", "tools", "systemd-sandbox");

/**
 * Creates the run's sandbox directory and tells the workers where it is; first reaps the directories
 * of earlier runs whose vitest process is gone (a run killed from outside never ran its teardown).
 */
export async function setup(): Promise<() => Promise<void>> {
  await mkdir(ROOT, { recursive: true });
  for (const name of await readdir(ROOT)) {
    const pid = /^run-(\d+)-/.exec(name)?.[1];
    if (pid && !existsSync(`/proc/${pid}`)) await reap(join(ROOT, name));
  }
  const runDir = await mkdtemp(join(ROOT, `run-${process.pid}-`));
  process.env["TEST_RUN_SANDBOX_DIR"] = runDir;
  return () => reap(runDir);
}

/** Stops every sandbox left booted under `runDir` and removes the directory. */
async function reap(runDir: string): Promise<void> {
  // Only a sandbox whose recorded PID is still a systemd: a PID reused by another process is left alone.
  const left = (await readdir(runDir).catch(() => [] as string[])).filter((name) =>
    isSystemd(join(runDir, name, "pid")),
  );
  for (const name of left) {
    // The tool's own stop: SIGKILL to the sandbox's systemd, which ends everything in its PID namespace.
    await promisify(execFile)(sandboxTool, ["stop", join(runDir, name)], { timeout: 30_000 }).catch(
      (error: unknown) => console.error(`could not stop the leftover systemd sandbox ${name}: ${error}`),
    );
  }
  if (left.length > 0)
    console.error(
      `${left.length} systemd sandbox(es) were still running at the end of the run and were stopped: ${left.join(", ")}. A test file did not stop its sandbox (afterAll) or its worker was killed.`,
    );
  const children = killNotedChildren(runDir);
  if (children > 0)
    console.error(
      `${children} process(es) a test started were still running at the end of the run and were killed.`,
    );
  // Give the killed PID namespaces a moment to go before their overlay directories are removed.
  await new Promise((r) => setTimeout(r, left.length > 0 ? 500 : 0));
  await rm(runDir, { recursive: true, force: true }).catch(() => {});
}

function isSystemd(pidFile: string): boolean {
  try {
    const pid = readFileSync(pidFile, "utf8").trim();
    return /^\d+$/.test(pid) && readFileSync(`/proc/${pid}/comm`, "utf8").trim() === "systemd";
  } catch {
    return false;
  }
}
