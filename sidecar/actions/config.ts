/**
 * The `config` action: replace or patch a service's configured file, validated before it takes effect,
 * the previous version kept, the service reloaded or restarted, and rolled back when the check or the
 * health check fails. A backup is pushed first when the inventory has a backup repository.
 */
import type { Adapters } from "../adapters/index.ts";
import { runBackupQuietly } from "../services/backup.ts";
import { type ActionContext, ActionError, type ActionHandler } from "../services/handler.ts";
import { describeVerification, lastLines, restartAndVerify } from "../services/restart.ts";
import { resolveConfig, resolveService, type ServiceTarget } from "../services/targets.ts";
import { checkFormat, checksCandidate, runCheck, withCandidate } from "./config-validate.ts";

/** A find/replace edit; every occurrence is replaced and at least one must exist. */
export interface Patch {
  readonly find: string;
  readonly replace: string;
}

/** Applies patches in order; refuses a patch whose text is not in the file. */
export function applyPatches(text: string, patches: readonly Patch[]): { text: string; replaced: number[] } {
  const replaced: number[] = [];
  let out = text;
  patches.forEach((p, i) => {
    const count = out.split(p.find).length - 1;
    if (count === 0)
      throw new ActionError(
        "patch-not-found",
        `patch ${i + 1}: the text to find is not in the file; nothing changed`,
      );
    out = out.split(p.find).join(p.replace);
    replaced.push(count);
  });
  return { text: out, replaced };
}

async function apply(adapters: Adapters, target: ServiceTarget, how: string, ctx: ActionContext) {
  if (how === "none") return null;
  return restartAndVerify(adapters, target, ctx, how === "reload" ? "reload" : "restart");
}

/** Creates the handler. */
export function createConfig(adapters: Adapters): ActionHandler<"config"> {
  return async (args, ctx) => {
    const target = resolveService(ctx, args["service"]);
    const spec = resolveConfig(target, args["file"]);
    const content = typeof args["content"] === "string" ? args["content"] : undefined;
    const patch = Array.isArray(args["patch"]) ? (args["patch"] as Patch[]) : undefined;
    if ((content === undefined) === (patch === undefined))
      throw new ActionError(
        "invalid-args",
        "config: give either the new content or a patch, not both or neither",
      );
    const current = await adapters.files.read(spec.path);
    if (current === null && patch)
      throw new ActionError(
        "no-such-file",
        `${spec.path} does not exist yet; send the whole content instead of a patch`,
      );
    const patched = patch ? applyPatches(current ?? "", patch) : null;
    const candidate = patched ? patched.text : (content ?? "");
    const base = { vm: ctx.vm, service: target.spec.name, file: spec.path };
    if (candidate === current) return { ...base, changed: false };
    const invalid = (why: string) =>
      new ActionError("config-invalid", `the new ${spec.path} was refused, nothing changed: ${why}`, {
        details: { ...base, stage: "validation" },
      });
    const formatProblem = await checkFormat(spec.format, candidate);
    if (formatProblem) throw invalid(formatProblem);
    const checkOptions = { timeoutMs: adapters.timing.checkTimeoutMs, env: adapters.env, signal: ctx.signal };
    if (spec.check && checksCandidate(spec)) {
      const check = spec.check;
      // On an installed VM the check runs through the root helper as the service's own user.
      const problem = adapters.privilege
        ? await adapters.privilege.checkConfig(target.spec.name, spec.path, candidate)
        : await withCandidate(spec.path, candidate, (file) => runCheck(check, file, checkOptions));
      if (problem) throw invalid(problem);
    }
    const backup = await runBackupQuietly(
      adapters,
      ctx,
      `before config change of ${target.spec.name}: ${spec.path}`,
    );
    const { previous } = await adapters.files.replace(spec.path, candidate);
    const restore = async () => {
      if (previous === null) await adapters.files.remove(spec.path);
      else await adapters.files.replace(spec.path, previous);
    };
    if (spec.check && !checksCandidate(spec)) {
      const problem = adapters.privilege
        ? await adapters.privilege.checkConfig(target.spec.name, spec.path)
        : await runCheck(spec.check, spec.path, checkOptions);
      if (problem) {
        await restore();
        throw invalid(problem);
      }
    }
    const verified = await apply(adapters, target, spec.apply, ctx);
    if (!verified || verified.ok)
      return {
        ...base,
        changed: true,
        ...(patched ? { replaced: patched.replaced } : {}),
        applied: spec.apply,
        verified: verified ? describeVerification(verified) : null,
        previousKept: previous === null ? null : adapters.files.previousPath(spec.path),
        backup,
      };
    const logs = await lastLines(adapters, target.unit);
    await restore();
    const after = await apply(adapters, target, spec.apply, ctx);
    throw new ActionError(
      "config-rolled-back",
      `${target.spec.name} did not come up with the new ${spec.path} (${verified.reason}); the previous version was put back${after?.ok === false ? `, but the service is still not healthy: ${after.reason}` : " and the service is up again"}`,
      {
        details: {
          ...base,
          failed: describeVerification(verified),
          logs,
          rolledBack: true,
          afterRollback: after ? describeVerification(after) : null,
          backup,
        },
      },
    );
  };
}
