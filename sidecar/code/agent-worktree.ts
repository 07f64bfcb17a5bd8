/**
 * Running an external coding agent in a scratch git worktree of a service's repository, never the
 * live tree, and collecting the files it changed, deleted and renamed. Who runs git and the agent is
 * the caller's: the sidecar itself (no root helper) or the root helper as the service's owner.
 */
import { lstat, readFile, realpath } from "node:fs/promises";
import { join, sep } from "node:path";
import { sourcePathSchema } from "../../protocol/code-actions.ts";
import { AdapterError } from "../adapters/adapter-error.ts";
import type { ExecResult } from "../adapters/exec.ts";
import { ActionError } from "../services/handler.ts";
import { leakedSecret, maskAgentSecrets } from "./agent-env.ts";
import { isSecretName, looksBinary, type SourceRoot } from "./source-root.ts";

/** A file the agent changed: new content, or null when it deleted it. */
export interface AgentFile {
  readonly path: string;
  readonly content: string | null;
  readonly renamedFrom?: string;
}

/** A file the agent changed that voxops leaves out, and why (the edge words it in the operator's language). */
export interface AgentSkipped {
  readonly path: string;
  readonly from?: string;
  readonly why: "not-writable" | "binary-or-big" | "not-regular";
}

/** What the agent produced. */
export interface AgentOutcome {
  readonly files: AgentFile[];
  readonly skipped: AgentSkipped[];
  readonly output: string;
}

/** How git and the agent are run, and where the scratch worktree goes. */
export interface AgentRunner {
  /** Runs git in `cwd` and returns its result whatever the exit code. */
  git(cwd: string, args: readonly string[]): Promise<ExecResult>;
  /** Runs the agent's argv in `cwd`; rejects when it cannot run or runs out of time. */
  agent(cwd: string, argv: readonly string[], timeoutMs: number): Promise<ExecResult>;
  /** A path (not yet existing, its parent writable by whoever runs git) for the worktree. */
  readonly scratch: string;
  /** The secret variables the agent was given: masked in its output, refused in its files. */
  readonly secrets?: Readonly<Record<string, string>>;
}

/** Runs the agent of `root` (whose engine must be an agent) on `request`; the worktree is removed after. */
export async function runAgentInWorktree(
  root: SourceRoot,
  request: string,
  runner: AgentRunner,
  timeoutMs: number,
): Promise<AgentOutcome> {
  const engine = root.spec.engine;
  if (engine === "built-in")
    throw new ActionError("no-agent", "this service uses the built-in engine; no coding agent is named");
  const git = async (cwd: string, args: readonly string[]): Promise<string> => {
    const r = await runner.git(cwd, args);
    if (r.code !== 0)
      throw new ActionError("agent-failed", `git ${args[0] ?? ""} failed: ${(r.stderr || r.stdout).trim()}`);
    return r.stdout;
  };
  const prefix = await runner.git(root.real, ["rev-parse", "--show-prefix"]);
  if (prefix.code !== 0)
    throw new ActionError(
      "no-repo",
      `${root.spec.root} is not a git checkout; the agent runs only in a git worktree`,
      { details: { root: root.spec.root } },
    );
  const sub = prefix.stdout.trim();
  const scratch = runner.scratch;
  await git(root.real, ["worktree", "add", "-q", "--detach", scratch, "HEAD"]);
  try {
    const [bin, ...rest] = engine.agent.map((a) => a.replaceAll("{request}", request));
    if (!bin) throw new ActionError("no-agent", "the agent command is empty");
    let run: ExecResult;
    try {
      run = await runner.agent(join(scratch, sub), [bin, ...rest], timeoutMs);
    } catch (e) {
      const code = e instanceof AdapterError ? e.code : "";
      throw new ActionError("agent-failed", `the coding agent did not finish: ${(e as Error).message}`, {
        details:
          code === "timeout"
            ? { timeoutS: Math.round(timeoutMs / 1000) }
            : code === "not-installed"
              ? { missing: bin }
              : {},
      });
    }
    const secrets = runner.secrets ?? {};
    const output = maskAgentSecrets(`${run.stdout}\n${run.stderr}`.trim(), secrets).slice(-2000);
    if (run.code !== 0)
      throw new ActionError("agent-failed", `the coding agent exited with ${run.code}:\n${output}`, {
        details: { exitCode: run.code, output },
      });
    // Staged in the scratch tree so git itself recognises a moved file as a rename.
    await git(scratch, ["add", "-A", "--", "."]);
    const status = await git(scratch, ["status", "--porcelain=v1", "-z", "--renames", "--", "."]);
    const realScratch = await realpath(scratch);
    const files: AgentFile[] = [];
    const skipped: AgentSkipped[] = [];
    const fields = status.split("\0").filter(Boolean);
    const writable = (rel: string) =>
      sourcePathSchema.safeParse(rel).success &&
      !rel.split("/").includes(".git") &&
      !isSecretName(rel.split("/").pop() ?? rel);
    for (let i = 0; i < fields.length; i++) {
      const entry = fields[i] ?? "";
      const code = entry.slice(0, 2);
      const full = entry.slice(3);
      // A rename or copy is followed by its source path as the next field.
      const fromFull = /[RC]/.test(code) ? (fields[++i] ?? "") : null;
      if (!full.startsWith(sub)) continue;
      const rel = full.slice(sub.length);
      const from = fromFull?.startsWith(sub) ? fromFull.slice(sub.length) : null;
      if (!writable(rel) || (code.includes("R") && (from === null || !writable(from)))) {
        skipped.push({ path: rel, ...(from ? { from } : {}), why: "not-writable" });
        continue;
      }
      if (code.includes("D")) {
        files.push({ path: rel, content: null });
      } else {
        // A link the agent made is never followed: it could show a file its runner may read and the operator may not.
        const abs = join(scratch, full);
        const link = await lstat(abs);
        const real = await realpath(abs);
        if (!link.isFile() || !real.startsWith(realScratch + sep)) {
          skipped.push({ path: rel, why: "not-regular" });
          continue;
        }
        const bytes = await readFile(real);
        if (looksBinary(bytes) || bytes.length > root.spec.maxFileBytes) {
          skipped.push({ path: rel, why: "binary-or-big" });
          continue;
        }
        const content = bytes.toString("utf8");
        const leaked = leakedSecret(content, secrets);
        if (leaked)
          throw new ActionError(
            "agent-leaked-secret",
            `the coding agent wrote the value of ${leaked} into ${rel}; nothing of its change is used`,
            { details: { variable: leaked, path: rel } },
          );
        if (code.includes("R") && from) files.push({ path: from, content: null });
        files.push({ path: rel, content, ...(code.includes("R") && from ? { renamedFrom: from } : {}) });
      }
      if (files.length > root.spec.maxFiles)
        throw new ActionError("too-big", `the agent changed more than ${root.spec.maxFiles} files`, {
          details: { limit: root.spec.maxFiles },
        });
    }
    return { files, skipped, output };
  } finally {
    await runner.git(root.real, ["worktree", "remove", "--force", scratch]);
    await runner.git(root.real, ["worktree", "prune"]);
  }
}
