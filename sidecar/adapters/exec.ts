/** Runs a program with an argv array (never through a shell) and collects its output, bounded in time and size. */

import { spawn } from "node:child_process";
import { childEnvironment } from "../../protocol/settings/child-environment.ts";
import { AdapterError } from "./adapter-error.ts";

/** What a finished program left behind. */
export interface ExecResult {
  readonly code: number;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  /** The same output as bytes, for binary content such as `git cat-file blob`. */
  readonly stdoutBytes: Buffer;
  readonly stderr: string;
}

/** How to run one program. */
export interface ExecOptions {
  readonly cwd?: string;
  readonly env?: NodeJS.ProcessEnv;
  readonly timeoutMs?: number;
  readonly signal?: AbortSignal;
  readonly input?: string | Buffer;
  /** Bytes kept of stdout and of stderr each; the rest is dropped from the front. */
  readonly maxOutput?: number;
  /** Runs the program as this user and group (the root helper running a step as a service's owner). */
  readonly uid?: number;
  readonly gid?: number;
}

const DEFAULT_TIMEOUT_MS = 30_000;
const DEFAULT_MAX_OUTPUT = 4_000_000;

/** Runs `file` with `args`; resolves with the exit code (non-zero is not an error), rejects only when it cannot run. */
export function execArgv(
  file: string,
  args: readonly string[],
  options: ExecOptions = {},
): Promise<ExecResult> {
  const max = options.maxOutput ?? DEFAULT_MAX_OUTPUT;
  return new Promise((resolve, reject) => {
    if (options.signal?.aborted) {
      reject(new AdapterError("aborted", `${file} was not started: the action was cancelled`));
      return;
    }
    const child = spawn(file, [...args], {
      cwd: options.cwd,
      env: options.env ?? childEnvironment(process.env),
      stdio: [options.input === undefined ? "ignore" : "pipe", "pipe", "pipe"],
      shell: false,
      detached: true,
      ...(options.uid === undefined ? {} : { uid: options.uid }),
      ...(options.gid === undefined ? {} : { gid: options.gid }),
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let outLen = 0;
    let errLen = 0;
    child.stdout?.on("data", (b: Buffer) => {
      out.push(b);
      outLen += b.length;
      while (outLen > max && out.length > 1) outLen -= out.shift()?.length ?? 0;
    });
    child.stderr?.on("data", (b: Buffer) => {
      err.push(b);
      errLen += b.length;
      while (errLen > max && err.length > 1) errLen -= err.shift()?.length ?? 0;
    });
    if (options.input !== undefined) child.stdin?.end(options.input);
    let stopped: string | null = null;
    const kill = (why: string): void => {
      stopped = why;
      try {
        if (child.pid !== undefined) process.kill(-child.pid, "SIGKILL");
      } catch {
        child.kill("SIGKILL");
      }
    };
    const timer = setTimeout(() => kill("timeout"), options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
    const onAbort = (): void => kill("aborted");
    options.signal?.addEventListener("abort", onAbort, { once: true });
    const done = (): void => {
      clearTimeout(timer);
      options.signal?.removeEventListener("abort", onAbort);
    };
    child.on("error", (e: NodeJS.ErrnoException) => {
      done();
      reject(
        new AdapterError(
          e.code === "ENOENT" ? "not-installed" : "exec-failed",
          `cannot run ${file}: ${e.message}`,
          {
            cause: e,
          },
        ),
      );
    });
    child.on("close", (code, signal) => {
      done();
      const stdoutBytes = Buffer.concat(out);
      const stdout = stdoutBytes.toString("utf8");
      const stderr = Buffer.concat(err).toString("utf8");
      if (stopped === "timeout") {
        reject(
          new AdapterError("timeout", `${file} ${args[0] ?? ""} did not finish in time`, {
            retryable: true,
            detail: tail(stderr),
          }),
        );
        return;
      }
      if (stopped === "aborted") {
        reject(
          new AdapterError("aborted", `${file} ${args[0] ?? ""} was cancelled`, { detail: tail(stderr) }),
        );
        return;
      }
      resolve({ code: code ?? 128, signal, stdout, stdoutBytes, stderr });
    });
  });
}

/** The last lines of a program's output, for error messages. */
export function tail(text: string, lines = 10): string {
  return text.trimEnd().split("\n").slice(-lines).join("\n").slice(-2000);
}
