/**
 * The steps of a code change that touch a service's source tree: writes and removals, the checks,
 * git (reads, the commit) and the external coding agent. On an installed VM they run as the service's
 * owner through the root helper (`owner-code-tree.ts`); without a helper (the local run, the tests'
 * sidecar) the sidecar does them as its own user (`createDirectCodeTree`).
 */
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { join } from "node:path";
import { execArgv } from "../adapters/exec.ts";
import { writeAtomic } from "../adapters/files.ts";
import type { Adapters } from "../adapters/index.ts";
import { agentEnvironment, SIDECAR_ENVIRONMENT } from "./agent-env.ts";
import { runAgentInWorktree } from "./agent-worktree.ts";
import type { CheckStep, CodeTree } from "./code-tree-port.ts";
import { createOwnerCodeTree } from "./owner-code-tree.ts";
import type { SourceRoot } from "./source-root.ts";
import { syntaxCheckFor } from "./syntax-checks.ts";

export type { CheckRun, CheckStep, CodeTree, StepBounds } from "./code-tree-port.ts";

/** The argv of a check step, or null when there is nothing to run (a file without a syntax check). */
export function checkArgv(root: SourceRoot, step: CheckStep, node?: string): readonly string[] | null {
  if (step.kind === "declared") return root.spec.checks[step.index] ?? null;
  return syntaxCheckFor(join(root.real, step.rel), node)?.argv ?? null;
}

/** The tree worked on by the sidecar's own user. */
export function createDirectCodeTree(adapters: Adapters, root: SourceRoot, service: string): CodeTree {
  const abs = (rel: string) => join(root.real, rel);
  return {
    runsAs: "the sidecar's own user",
    write: (rel, content, mode) => writeAtomic(abs(rel), content, mode),
    remove: (rel) => rm(abs(rel), { force: true }),
    async check(step, bounds) {
      const argv = checkArgv(root, step);
      const [bin, ...rest] = argv ?? [];
      if (!bin) return { code: 0, output: "" };
      const r = await execArgv(bin, rest, {
        cwd: root.real,
        env: adapters.env,
        timeoutMs: bounds.timeoutMs,
        ...(bounds.signal ? { signal: bounds.signal } : {}),
        maxOutput: 200_000,
      });
      return { code: r.code, output: `${r.stdout}\n${r.stderr}`.trim() };
    },
    git: (args) => adapters.git.attempt(root.real, args),
    async commit(paths, message) {
      const inRepo = await adapters.git.attempt(root.real, ["rev-parse", "--is-inside-work-tree"]);
      if (inRepo.code !== 0 || inRepo.stdout.trim() !== "true") return null;
      await adapters.git.run(root.real, ["add", "-A", "--", ...paths]);
      const staged = await adapters.git.attempt(root.real, ["diff", "--cached", "--quiet", "--", ...paths]);
      if (staged.code === 0) return null;
      await adapters.git.run(root.real, ["commit", "-q", "-m", message.slice(0, 500), "--", ...paths]);
      return (await adapters.git.run(root.real, ["rev-parse", "HEAD"])).trim();
    },
    async agent(request, bounds) {
      const engine = root.spec.engine;
      // Exactly the variables the inventory names, from the sidecar's own (unfiltered) environment; refused before anything runs.
      const secrets =
        engine === "built-in" ? {} : agentEnvironment(engine.agentEnv, process.env, SIDECAR_ENVIRONMENT);
      const parent = join(adapters.stateDir, "worktrees");
      await mkdir(parent, { recursive: true, mode: 0o700 });
      const dir = await mkdtemp(join(parent, `${service}-`));
      try {
        // The agent's own HOME, writable and private, removed with the scratch directory.
        const home = join(dir, "home");
        await mkdir(home, { mode: 0o700 });
        return await runAgentInWorktree(
          root,
          request,
          {
            scratch: join(dir, "tree"),
            secrets,
            git: (cwd, args) => adapters.git.attempt(cwd, args),
            agent: (cwd, [bin, ...rest], timeoutMs) =>
              execArgv(bin ?? "false", rest, {
                cwd,
                env: {
                  ...secrets,
                  PATH: adapters.env["PATH"] ?? "/usr/bin:/bin",
                  HOME: home,
                  LANG: "C.UTF-8",
                },
                timeoutMs,
                ...(bounds.signal ? { signal: bounds.signal } : {}),
              }),
          },
          bounds.timeoutMs,
        );
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    },
  };
}

/** The tree of `service` for this sidecar: as the owner through the root helper when there is one, else directly. */
export function codeTreeFor(adapters: Adapters, root: SourceRoot, service: string): CodeTree {
  return adapters.privilege
    ? createOwnerCodeTree(adapters.privilege, service)
    : createDirectCodeTree(adapters, root, service);
}
