/**
 * The run's sandbox reaper (test/support/sandbox-reaper.ts): a real sandbox left booted in a run's
 * directory, and a process a test started and left running, are stopped at the end of the run, and a directory left by a killed run is reaped by the
 * next run's setup; another run's live directory is not touched.
 */
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { noteChild } from "../support/run-children.ts";
import { setup } from "../support/sandbox-reaper.ts";
import { type SystemdSandbox, startSandbox } from "../support/systemd-sandbox.ts";
import { waitFor } from "../support/wait-for.ts";

const before = process.env["TEST_RUN_SANDBOX_DIR"];
const started: SystemdSandbox[] = [];
const made: string[] = [];
afterAll(async () => {
  for (const s of started) await s.stop();
  for (const dir of made) await rm(dir, { recursive: true, force: true });
  if (before === undefined) delete process.env["TEST_RUN_SANDBOX_DIR"];
  else process.env["TEST_RUN_SANDBOX_DIR"] = before;
});

const gone = (pid: number) => waitFor(() => !existsSync(`/proc/${pid}`), { what: `PID ${pid} to end` });

describe("the sandbox reaper", { timeout: 90_000 }, () => {
  it("stops a sandbox its run left booted and removes the run's directory", async () => {
    const teardown = await setup();
    const runDir = process.env["TEST_RUN_SANDBOX_DIR"] as string;
    made.push(runDir);
    expect(runDir).toMatch(new RegExp(`^/var/tmp/voxops-test/run-${process.pid}-`));
    const leaked = await startSandbox("leaked");
    started.push(leaked);
    expect(leaked.dir.startsWith(`${runDir}/`)).toBe(true);
    expect(leaked.alive()).toBe(true);
    // And a process a test started on this machine and never stopped.
    const orphan = spawn(process.execPath, ["-e", "setInterval(() => {}, 1000)"], { stdio: "ignore" });
    noteChild(orphan.pid);
    await teardown();
    await gone(leaked.pid);
    await gone(orphan.pid as number);
    expect(existsSync(runDir)).toBe(false);
  });

  it("reaps the directory of a run whose vitest is gone, and leaves a live run's alone", async () => {
    // PID 2^22 + 1 is above Linux's largest PID, so no process has it: a run that was killed.
    const dead = await mkdtemp("/var/tmp/voxops-test/run-4194305-");
    const live = await mkdtemp(`/var/tmp/voxops-test/run-${process.pid}-`);
    made.push(dead, live);
    await mkdir(join(live, "keep"));
    process.env["TEST_RUN_SANDBOX_DIR"] = dead;
    const leaked = await startSandbox("killed-run");
    started.push(leaked);
    const teardown = await setup();
    try {
      await gone(leaked.pid);
      expect(existsSync(dead)).toBe(false);
      expect(existsSync(join(live, "keep"))).toBe(true);
    } finally {
      await teardown();
    }
  });
});
