/**
 * The `deploy` action: for a service with a git checkout, fetch and fast-forward (or move to an explicit
 * ref), run the build steps, restart and health-check; on any failure go back to the previous commit,
 * rebuild and restart. A backup is pushed first when the inventory has a backup repository.
 */
import { gitRefSchema } from "../../protocol/actions/catalog.ts";
import { execArgv, tail } from "../adapters/exec.ts";
import type { Adapters } from "../adapters/index.ts";
import { runBackupQuietly } from "../services/backup.ts";
import { type ActionContext, ActionError, type ActionHandler } from "../services/handler.ts";
import { describeVerification, lastLines, restartAndVerify } from "../services/restart.ts";
import { resolveService, type ServiceTarget } from "../services/targets.ts";

type Repo = NonNullable<ServiceTarget["spec"]["repo"]>;

/** Runs the build steps in the checkout; returns the first failure, or null. */
async function build(
  adapters: Adapters,
  service: string,
  repo: Repo,
  ctx: ActionContext,
): Promise<string | null> {
  for (const [bin, ...args] of repo.build) {
    if (!bin) continue;
    const timeoutMs = Math.max(1000, Math.min(adapters.timing.buildTimeoutMs, ctx.deadline - ctx.now()));
    try {
      // On an installed VM the build runs as the checkout's owner through the root helper.
      const options = { cwd: repo.path, env: adapters.env, timeoutMs, signal: ctx.signal };
      const r = adapters.privilege
        ? await adapters.privilege.ownerRun(service, repo.path, [bin, ...args], options)
        : await execArgv(bin, args, options);
      if (r.code !== 0)
        return `build step "${[bin, ...args].join(" ").slice(0, 120)}" failed (exit ${r.code}): ${tail(`${r.stdout}\n${r.stderr}`, 8)}`;
    } catch (e) {
      return `build step "${bin}" could not run: ${(e as Error).message}`;
    }
  }
  return null;
}

/** Creates the handler. */
export function createDeploy(adapters: Adapters): ActionHandler<"deploy"> {
  return async (args, ctx) => {
    const target = resolveService(ctx, args["service"]);
    const repo = target.spec.repo;
    if (!repo)
      throw new ActionError("no-repo", `the inventory gives ${target.spec.name} no git checkout to deploy`);
    let ref: string | undefined;
    if (args["ref"] !== undefined) {
      const parsed = gitRefSchema.safeParse(args["ref"]);
      if (!parsed.success || parsed.data.includes(".."))
        throw new ActionError(
          "forbidden-ref",
          `refused git ref ${JSON.stringify(String(args["ref"]).slice(0, 80))}`,
        );
      ref = parsed.data;
    }
    // Git runs as the checkout's owner on an installed VM (the helper), else as the sidecar's user.
    const gitOf = adapters.privilege ? adapters.privilege.ownerGit(target.spec.name) : adapters.git;
    const git = (a: string[]) => gitOf.run(repo.path, a);
    const dirty = await git(["status", "--porcelain", "--untracked-files=no"]);
    if (dirty.trim() !== "")
      throw new ActionError(
        "checkout-dirty",
        `${repo.path} has local changes; commit or discard them before deploying`,
        {
          details: { changes: dirty.split("\n").slice(0, 20) },
        },
      );
    const previous = (await git(["rev-parse", "HEAD"])).trim();
    await git(["fetch", "-q", repo.remote]);
    const resolve = async (r: string) => {
      const out = await gitOf.attempt(repo.path, ["rev-parse", "--verify", "-q", `${r}^{commit}`]);
      return out.code === 0 ? out.stdout.trim() : null;
    };
    const wanted = ref === undefined ? `${repo.remote}/${repo.branch}` : ref;
    const next =
      (ref !== undefined ? await resolve(`${repo.remote}/${ref}`) : null) ?? (await resolve(wanted));
    if (!next)
      throw new ActionError("unknown-ref", `${wanted} does not exist in ${repo.path} after fetching`);
    const base = { vm: ctx.vm, service: target.spec.name, previous, target: next };
    if (next === previous) return { ...base, changed: false, note: "already at that commit" };
    if (ref === undefined) {
      const ff = await gitOf.attempt(repo.path, ["merge-base", "--is-ancestor", previous, next]);
      if (ff.code !== 0)
        throw new ActionError(
          "not-fast-forward",
          `${repo.branch} on ${repo.remote} has diverged from the checkout; deploy an explicit ref instead`,
        );
    }
    const backup = await runBackupQuietly(
      adapters,
      ctx,
      `before deploy of ${target.spec.name} ${next.slice(0, 12)}`,
    );
    const started = ctx.now();
    await git(ref === undefined ? ["merge", "-q", "--ff-only", next] : ["reset", "-q", "--hard", next]);
    const buildProblem = await build(adapters, target.spec.name, repo, ctx);
    const verified = buildProblem ? null : await restartAndVerify(adapters, target, ctx);
    if (verified?.ok)
      return {
        ...base,
        changed: true,
        durationMs: ctx.now() - started,
        verified: describeVerification(verified),
        backup,
      };
    const reason = buildProblem ?? verified?.reason ?? "unknown";
    const logs = buildProblem ? [] : await lastLines(adapters, target.unit);
    await git(["reset", "-q", "--hard", previous]);
    const rebuild = await build(adapters, target.spec.name, repo, ctx);
    const after = rebuild ? null : await restartAndVerify(adapters, target, ctx);
    const recovered = after?.ok === true;
    throw new ActionError(
      "deploy-rolled-back",
      `deploy of ${target.spec.name} ${next.slice(0, 12)} failed (${reason}); rolled back to ${previous.slice(0, 12)}${recovered ? " and the service is up again" : `, but the service is still not healthy: ${rebuild ?? after?.reason}`}`,
      {
        details: {
          ...base,
          stage: buildProblem ? "build" : "verify",
          failed: verified ? describeVerification(verified) : null,
          logs,
          rolledBack: true,
          afterRollback: after ? describeVerification(after) : { ok: false, reason: rebuild },
          backup,
        },
      },
    );
  };
}
