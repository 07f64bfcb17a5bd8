/** Starts real Node child processes for end-to-end tests and makes sure they are gone afterwards. */
import { type ChildProcess, spawn } from "node:child_process";
import { resolve } from "node:path";
import { noteChild } from "./run-children.ts";

/** The repository root. */
export const repo = resolve(import.meta.dirname, "..", "..");

/** A child process with its collected stderr. */
export interface Child {
  readonly process: ChildProcess;
  stderr(): string;
  stdout(): string;
  /** Sends a signal and waits for the exit (SIGKILL after 3 s). */
  stop(signal?: NodeJS.Signals): Promise<void>;
}

const running = new Set<Child>();

/** Runs `node <script> ...args` from the repo with extra environment. */
export function spawnNode(script: string, args: string[], env: Record<string, string>): Child {
  const proc = spawn(process.execPath, [resolve(repo, script), ...args], {
    cwd: repo,
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  noteChild(proc.pid);
  let err = "";
  let out = "";
  proc.stderr?.on("data", (d: Buffer) => {
    err += d.toString();
  });
  proc.stdout?.on("data", (d: Buffer) => {
    out += d.toString();
  });
  const child: Child = {
    process: proc,
    stderr: () => err,
    stdout: () => out,
    async stop(signal = "SIGTERM") {
      running.delete(child);
      if (proc.exitCode !== null || proc.signalCode !== null) return;
      const exited = new Promise<void>((r) => proc.once("exit", () => r()));
      proc.kill(signal);
      const timer = setTimeout(() => proc.kill("SIGKILL"), 3000);
      await exited;
      clearTimeout(timer);
    },
  };
  running.add(child);
  return child;
}

/** Stops every child still running. */
export async function stopAll(): Promise<void> {
  await Promise.all([...running].map((c) => c.stop("SIGKILL")));
}
