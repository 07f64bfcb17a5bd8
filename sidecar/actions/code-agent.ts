/**
 * The `code-agent` action: runs the service's external coding agent (a command template from the
 * inventory) in a scratch git worktree of its repository — never the live tree — with a deadline,
 * and returns the files it changed, deleted (content null) and renamed. Nothing is applied here: the edge turns them into a proposal.
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { sourcePathSchema } from "../../protocol/code-actions.ts";
import { execArgv } from "../adapters/exec.ts";
import type { Adapters } from "../adapters/index.ts";
import { isSecretName, looksBinary, openSourceRoot } from "../code/source-root.ts";
import { ActionError, type ActionHandler } from "../services/handler.ts";
import { resolveService } from "../services/targets.ts";

/** Creates the handler. */
export function createCodeAgent(adapters: Adapters): ActionHandler<"code-agent"> {
  return async (args, ctx) => {
    const target = resolveService(ctx, args["service"]);
    const root = await openSourceRoot(target.spec.name, target.spec.code);
    const engine = root.spec.engine;
    if (engine === "built-in")
      throw new ActionError(
        "no-agent",
        `${target.spec.name} uses the built-in engine; no coding agent is named`,
      );
    const git = (cwd: string, a: string[]) => adapters.git.run(cwd, a);
    const prefix = await adapters.git.attempt(root.real, ["rev-parse", "--show-prefix"]);
    if (prefix.code !== 0)
      throw new ActionError(
        "no-repo",
        `${root.spec.root} is not a git checkout; the agent runs only in a git worktree`,
      );
    const sub = prefix.stdout.trim();
    const scratch = join(adapters.stateDir, "worktrees", `${target.spec.name}-${ctx.now()}`);
    await git(root.real, ["worktree", "add", "-q", "--detach", scratch, "HEAD"]);
    try {
      const [bin, ...rest] = engine.agent.map((a) => a.replaceAll("{request}", String(args["request"])));
      if (!bin) throw new ActionError("no-agent", "the agent command is empty");
      const timeoutMs = Math.max(1000, Math.min(engine.timeoutS * 1000, ctx.deadline - ctx.now()));
      const env = {
        PATH: adapters.env["PATH"] ?? "/usr/bin:/bin",
        HOME: adapters.env["HOME"] ?? "/root",
        LANG: "C.UTF-8",
      };
      let run: Awaited<ReturnType<typeof execArgv>>;
      try {
        run = await execArgv(bin, rest, { cwd: join(scratch, sub), env, timeoutMs, signal: ctx.signal });
      } catch (e) {
        throw new ActionError("agent-failed", `the coding agent did not finish: ${(e as Error).message}`);
      }
      const output = `${run.stdout}\n${run.stderr}`.trim().slice(-2000);
      if (run.code !== 0)
        throw new ActionError("agent-failed", `the coding agent exited with ${run.code}:\n${output}`);
      // Staged in the scratch tree so git itself recognises a moved file as a rename.
      await git(scratch, ["add", "-A", "--", "."]);
      const status = await git(scratch, ["status", "--porcelain=v1", "-z", "--renames", "--", "."]);
      const files: { path: string; content: string | null; renamedFrom?: string }[] = [];
      const skipped: string[] = [];
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
          skipped.push(`${from ? `${from} → ` : ""}${rel} (not a path voxops writes)`);
          continue;
        }
        if (code.includes("D")) {
          files.push({ path: rel, content: null });
        } else {
          const bytes = await readFile(join(scratch, full));
          if (looksBinary(bytes) || bytes.length > root.spec.maxFileBytes) {
            skipped.push(`${rel} (binary or too big)`);
            continue;
          }
          const content = bytes.toString("utf8");
          if (code.includes("R") && from) files.push({ path: from, content: null });
          files.push({ path: rel, content, ...(code.includes("R") && from ? { renamedFrom: from } : {}) });
        }
        if (files.length > root.spec.maxFiles)
          throw new ActionError("too-big", `the agent changed more than ${root.spec.maxFiles} files`);
      }
      return { vm: ctx.vm, service: target.spec.name, files, skipped, output };
    } finally {
      await adapters.git.attempt(root.real, ["worktree", "remove", "--force", scratch]);
      await adapters.git.attempt(root.real, ["worktree", "prune"]);
    }
  };
}
