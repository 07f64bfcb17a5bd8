/**
 * Restoring a file from the backup repository to where it came from (the `restore` action and auto-fix
 * use it). The path is a repository path of this VM ("vm1/configs/etc/nginx/nginx.conf") or the original path without its
 * leading slash ("etc/nginx/nginx.conf"); either way it must lie under one of this VM's backed-up paths.
 */

import { type BackupSource, originalPath, repoPathOf } from "../adapters/backup-layout.ts";
import type { Adapters } from "../adapters/index.ts";
import { type BackupScope, sourcesOf } from "./backup.ts";
import { ActionError } from "./handler.ts";

/** Where a restore reads from and writes to. */
export interface RestorePlan {
  readonly repoPath: string;
  readonly localPath: string;
}

/** Maps the argument to a repository path and a local path, refusing anything outside this VM's backup. */
export function planRestore(
  path: string,
  vm: string,
  otherVms: readonly string[],
  sources: readonly BackupSource[],
): RestorePlan {
  const first = path.split("/")[0] ?? "";
  if (first === "agent" && !path.startsWith(`agent/${vm}/`))
    throw new ActionError(
      "forbidden-path",
      `${path} belongs to another VM's agent files; restore it on that VM`,
    );
  if (otherVms.includes(first) && first !== vm)
    throw new ActionError("forbidden-path", `${path} is ${first}'s backup; restore it on ${first}`);
  const repoPath = first === vm || first === "agent" ? path : repoPathOf(`/${path}`, sources);
  const localPath = repoPath === null ? null : originalPath(repoPath, sources);
  if (repoPath === null || localPath === null)
    throw new ActionError(
      "not-backed-up",
      `${path} is not under any path ${vm} backs up (see the inventory's configs and backup paths)`,
    );
  return { repoPath, localPath };
}

/** Restores one file; returns where it went and from which commit. */
export async function restoreFile(adapters: Adapters, scope: BackupScope, path: string, ref?: string) {
  const ctx = scope;
  const target = ctx.inventory.backup;
  if (!target) throw new ActionError("backup-not-configured", "the inventory names no backup repository");
  const others = ctx.inventory.vms.map((v) => v.name);
  const plan = planRestore(path, ctx.vm, others, await sourcesOf(adapters, ctx));
  const repo = adapters.backupRepo({ vm: ctx.vm, remote: target.repo, branch: target.branch });
  const stored = await repo.read(plan.repoPath, ref);
  const { previous } = await adapters.files.replace(plan.localPath, stored.content, stored.mode);
  return {
    vm: ctx.vm,
    path: plan.localPath,
    repoPath: plan.repoPath,
    commit: stored.commit,
    bytes: stored.content.length,
    replacedExisting: previous !== null,
  };
}
