/** The git adapter: the `git` CLI through execFile-style argv, never a shell, never an interactive prompt. */
import { AdapterError } from "./adapter-error.ts";
import { type ExecResult, execArgv, tail } from "./exec.ts";

/** Runs git commands in a working tree. */
export interface Git {
  /** Runs `git args` in `cwd`; throws AdapterError("git-failed") on a non-zero exit. */
  run(cwd: string, args: readonly string[], options?: { timeoutMs?: number }): Promise<string>;
  /** Runs `git args` in `cwd` and returns the exit code and output whatever they are. */
  attempt(cwd: string, args: readonly string[], options?: { timeoutMs?: number }): Promise<ExecResult>;
}

/** Where git is and who commits. */
export interface GitOptions {
  readonly git?: string;
  readonly env?: NodeJS.ProcessEnv;
  /** Author and committer of the sidecar's own commits. */
  readonly identity?: { name: string; email: string };
}

/** Creates the adapter over a git binary (env VOXOPS_GIT, default "git"). */
export function createGit(options: GitOptions = {}): Git {
  const base = options.env ?? process.env;
  const bin = options.git ?? base["VOXOPS_GIT"] ?? "git";
  const identity = options.identity ?? { name: "voxops", email: "voxops@localhost" };
  const env: NodeJS.ProcessEnv = {
    ...base,
    GIT_TERMINAL_PROMPT: "0",
    GIT_ASKPASS: "true",
    GIT_AUTHOR_NAME: identity.name,
    GIT_AUTHOR_EMAIL: identity.email,
    GIT_COMMITTER_NAME: identity.name,
    GIT_COMMITTER_EMAIL: identity.email,
    LC_ALL: "C",
  };
  const attempt = (cwd: string, args: readonly string[], opts: { timeoutMs?: number } = {}) =>
    execArgv(bin, ["-c", "core.hooksPath=/dev/null", ...args], {
      cwd,
      env,
      timeoutMs: opts.timeoutMs ?? 120_000,
    });
  return gitFrom(attempt);
}

/** A Git over any way of running git: `run` turns a non-zero exit into a `git-failed` AdapterError. */
export function gitFrom(attempt: Git["attempt"]): Git {
  return {
    attempt,
    async run(cwd, args, opts) {
      const r = await attempt(cwd, args, opts);
      if (r.code !== 0) {
        const network = /could not read|unable to access|Connection|timed out|early EOF/i.test(r.stderr);
        throw new AdapterError(
          "git-failed",
          `git ${args[0] ?? ""} failed: ${tail(r.stderr || r.stdout, 3)}`,
          {
            retryable: network,
            detail: tail(r.stderr),
          },
        );
      }
      return r.stdout;
    },
  };
}
