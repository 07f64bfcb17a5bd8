/**
 * The root helper's code operations (`code-write`, `code-remove`, `code-check`, `code-git`,
 * `code-commit`, `code-agent`, and the reads of `code-reads.ts`): every step of a code change that touches a service's source tree, run
 * as the service's owner. Each field is checked again here against the root-owned inventory: the
 * service and its `code` block, every path through the source root's rules, the check by its index in
 * the inventory (never an argv from the sidecar), the agent from the inventory's template. Prints one
 * JSON line; an ActionError (a refusal, a failed agent) is printed as `{ok: false, code, message}`.
 */
import { chown, mkdir, mkdtemp, rm } from "node:fs/promises";
import { join } from "node:path";
import type { ServiceSpec, VmSpec } from "../../protocol/inventory.ts";
import { writeAtomic } from "../adapters/files.ts";
import { AGENT_ENV_FILE, agentEnvironment, readAgentEnvFile } from "../code/agent-env.ts";
import { runAgentInWorktree } from "../code/agent-worktree.ts";
import { type CheckStep, checkArgv } from "../code/code-tree.ts";
import { openSourceRoot } from "../code/source-root.ts";
import { ActionError } from "../services/handler.ts";
import { unitOf } from "../services/targets.ts";
import { CODE_READ_OPS, codeRead } from "./code-reads.ts";
import { codeGitRefusal } from "./helper-rules.ts";
import { gitAsOwner, type Owner, runAsOwner, serviceOwner, withOwnerRights } from "./service-owner.ts";

/** Exit code of an operation that printed an ActionError. */
export const CODE_OP_FAILED = 3;
const MAX_STEP_MS = 60 * 60_000;
const MAX_WRITE_BYTES = 16 * 1024 * 1024;

const OPS = new Set([
  "code-write",
  "code-remove",
  "code-check",
  "code-git",
  "code-commit",
  "code-agent",
  ...CODE_READ_OPS,
]);

const boundedMs = (text: string | undefined, fallback: number): number => {
  const n = Number(text);
  return Number.isInteger(n) && n >= 1000 ? Math.min(n, MAX_STEP_MS) : fallback;
};

async function ownerOf(service: ServiceSpec, root: string): Promise<Owner> {
  const owner = await serviceOwner(unitOf(service), root);
  if (!owner)
    throw new ActionError(
      "refused",
      `${service.name} runs as root and its source root ${root} belongs to root; give it its own user (User= in its unit) and chown its source to that user, then ask again`,
    );
  return owner;
}

/** Runs one code operation; null when `op` is not one of them. */
export async function codeOp(
  vm: VmSpec,
  op: string | undefined,
  rest: readonly string[],
  stdin: () => Promise<Buffer>,
): Promise<number | null> {
  if (op === undefined || !OPS.has(op)) return null;
  try {
    const [name, ...args] = rest;
    const service = vm.services.find((s) => s.name === name);
    if (!service)
      throw new ActionError(
        "refused",
        `${name ?? "(no service)"} is not a service of ${vm.name} in the inventory`,
      );
    const root = await openSourceRoot(service.name, service.code);
    const owner = await ownerOf(service, root.real);
    const out = await run(op, vm, service, root, owner, args, stdin);
    process.stdout.write(`${JSON.stringify({ ok: true, user: owner.name, ...out })}\n`);
    return 0;
  } catch (e) {
    if (!(e instanceof ActionError)) throw e;
    process.stdout.write(
      `${JSON.stringify({ ok: false, code: e.code, message: e.message, details: e.details })}\n`,
    );
    return CODE_OP_FAILED;
  }
}

async function run(
  op: string,
  vm: VmSpec,
  service: ServiceSpec,
  root: Awaited<ReturnType<typeof openSourceRoot>>,
  owner: Owner,
  args: readonly string[],
  stdin: () => Promise<Buffer>,
): Promise<Record<string, unknown>> {
  if (CODE_READ_OPS.has(op)) return codeRead(op, root, owner, args, stdin);
  switch (op) {
    case "code-write": {
      const [rel, modeText] = args;
      const file = await root.resolve(rel, "write");
      const mode =
        modeText && /^[0-7]{3,4}$/.test(modeText) ? Number.parseInt(modeText, 8) & 0o777 : undefined;
      const content = await stdin();
      // A rollback puts back whatever was there, so the bound is the helper's own, not the change's limit.
      if (content.length > MAX_WRITE_BYTES)
        throw new ActionError("too-big", `${file.rel} would be above ${MAX_WRITE_BYTES} bytes`);
      await asOwner(owner, file.rel, () => writeAtomic(file.abs, content, mode));
      return { wrote: file.rel };
    }
    case "code-remove": {
      const file = await root.resolve(args[0], "write");
      await asOwner(owner, file.rel, () => rm(file.abs, { force: true }));
      return { removed: file.rel };
    }
    case "code-check": {
      const [kind, which, timeout] = args;
      let step: CheckStep;
      if (kind === "declared" && /^\d{1,2}$/.test(which ?? "")) step = { kind, index: Number(which) };
      else if (kind === "syntax") step = { kind, rel: (await root.resolve(which, "read")).rel };
      else
        throw new ActionError(
          "refused",
          "a check is named by its kind (syntax, declared) and the file or index",
        );
      const argv = checkArgv(root, step);
      if (!argv) throw new ActionError("refused", `${service.name} has no such check in the inventory`);
      const r = await runAsOwner(owner, root.real, argv, {
        timeoutMs: boundedMs(timeout, 10 * 60_000),
      }).catch((e: Error) => ({ code: 124, stdout: "", stderr: e.message }));
      return { code: r.code, output: `${r.stdout}\n${r.stderr}`.trim().slice(-4000) };
    }
    case "code-git": {
      const refusal = codeGitRefusal(args);
      if (refusal) throw new ActionError("refused", refusal);
      const r = await gitAsOwner(owner, root.real, args);
      return { code: r.code, stdout: r.stdout, stderr: r.stderr.slice(-2000) };
    }
    case "code-commit":
      return { commit: await commit(vm, root, owner, args, (await stdin()).toString("utf8")) };
    case "code-agent": {
      const request = (await stdin()).toString("utf8").slice(0, 4000);
      const engine = root.spec.engine;
      const timeoutMs = Math.min(
        boundedMs(args[0], 10 * 60_000),
        engine === "built-in" ? MAX_STEP_MS : engine.timeoutS * 1000,
      );
      // The values of the variables the inventory names, from the file only root reads; refused before anything runs.
      const secrets =
        engine === "built-in" || engine.agentEnv.length === 0
          ? {}
          : agentEnvironment(engine.agentEnv, await readAgentEnvFile(), AGENT_ENV_FILE);
      // The scratch worktree lives in a private directory the owner alone may enter (the unit's private /var/tmp).
      const dir = await mkdtemp("/var/tmp/voxops-agent-");
      try {
        await chown(dir, owner.uid, owner.gid);
        // The agent's own HOME, writable and private, removed with the scratch directory.
        const home = join(dir, "home");
        await mkdir(home, { mode: 0o700 });
        await chown(home, owner.uid, owner.gid);
        const outcome = await runAgentInWorktree(
          root,
          request,
          {
            scratch: join(dir, "tree"),
            secrets,
            git: (cwd, a) => gitAsOwner(owner, cwd, a),
            agent: (cwd, argv, ms) =>
              runAsOwner(owner, cwd, argv, { timeoutMs: ms, env: { ...secrets, HOME: home } }),
          },
          timeoutMs,
        );
        return { ...outcome };
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    }
    default:
      throw new ActionError("refused", `unknown code operation ${op}`);
  }
}

/** A write the owner may not make is the owner's refusal, said as such. */
async function asOwner<T>(owner: Owner, rel: string, work: () => Promise<T>): Promise<T> {
  try {
    return await withOwnerRights(owner, work);
  } catch (e) {
    // The system's error code, wherever it sits in the chain (an adapter's error wraps it as its cause).
    const codes: unknown[] = [];
    for (let c: unknown = e; c instanceof Error && codes.length < 5; c = c.cause)
      codes.push((c as NodeJS.ErrnoException).code);
    if (codes.includes("EACCES") || codes.includes("EPERM"))
      throw new ActionError("write-failed", `${owner.name}, the owner of the service, may not write ${rel}`);
    throw new ActionError("write-failed", `cannot write ${rel}: ${(e as Error).message}`);
  }
}

async function commit(
  vm: VmSpec,
  root: Awaited<ReturnType<typeof openSourceRoot>>,
  owner: Owner,
  paths: readonly string[],
  message: string,
): Promise<string | null> {
  const rels: string[] = [];
  for (const p of paths) rels.push((await root.resolve(p, "write")).rel);
  if (rels.length === 0) throw new ActionError("refused", "a commit names the files it commits");
  const identity = {
    GIT_AUTHOR_NAME: `voxops ${vm.name}`,
    GIT_AUTHOR_EMAIL: `voxops@${vm.name}.invalid`,
    GIT_COMMITTER_NAME: `voxops ${vm.name}`,
    GIT_COMMITTER_EMAIL: `voxops@${vm.name}.invalid`,
  };
  const git = (a: readonly string[]) => gitAsOwner(owner, root.real, a, { env: identity });
  const inRepo = await git(["rev-parse", "--is-inside-work-tree"]);
  if (inRepo.code !== 0 || inRepo.stdout.trim() !== "true") return null;
  const must = async (a: readonly string[]) => {
    const r = await git(a);
    if (r.code !== 0)
      throw new ActionError(
        "commit-failed",
        `git ${a[0]} failed: ${(r.stderr || r.stdout).trim().slice(-600)}`,
      );
    return r.stdout;
  };
  await must(["add", "-A", "--", ...rels]);
  if ((await git(["diff", "--cached", "--quiet", "--", ...rels])).code === 0) return null;
  await must(["commit", "-q", "-m", message.slice(0, 500), "--", ...rels]);
  return (await must(["rev-parse", "HEAD"])).trim();
}
