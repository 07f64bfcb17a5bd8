/** Backing up this VM's paths: the `backup` action runs it on demand, the sidecar on a schedule and before changes. */
import type { Inventory } from "../../protocol/inventory.ts";
import { type BackupSource, backupSources } from "../adapters/backup-layout.ts";
import type { BackupReport } from "../adapters/backup-repo.ts";
import type { Adapters } from "../adapters/index.ts";
import { asActionError } from "./guard.ts";
import { ActionError } from "./handler.ts";
import { unitOf } from "./targets.ts";

/** Which VM and inventory a backup is for (an ActionContext has both). */
export interface BackupScope {
  readonly vm: string;
  readonly inventory: Inventory;
}

/** Everything this VM backs up, including the unit files systemd reports for its services. */
export async function sourcesOf(adapters: Adapters, scope: BackupScope): Promise<BackupSource[]> {
  const vm = scope.inventory.vm(scope.vm);
  if (!vm) throw new ActionError("unknown-vm", `the inventory has no VM "${scope.vm}"`);
  const statuses = await adapters.systemd.status(vm.services.map((s) => unitOf(s))).catch(() => []);
  const unitFiles = statuses.filter((s) => s.loaded && s.fragmentPath).map((s) => s.fragmentPath ?? "");
  return backupSources(vm, { unitFiles, agentPaths: adapters.agentPaths });
}

/** Commits and pushes this VM's configured paths to the backup repository. */
export async function runBackup(
  adapters: Adapters,
  scope: BackupScope,
  reason: string,
): Promise<BackupReport> {
  const target = scope.inventory.backup;
  if (!target)
    throw new ActionError(
      "backup-not-configured",
      "the inventory names no backup repository (top-level `backup.repo`)",
    );
  const repo = adapters.backupRepo({ vm: scope.vm, remote: target.repo, branch: target.branch });
  const oneLine = reason.replace(/[\r\n]+/g, " ").slice(0, 200);
  return repo.push(await sourcesOf(adapters, scope), `${scope.vm}: ${oneLine}`);
}

/** The short summary of a backup that other actions attach to their answer. */
export type BackupNote =
  | { ok: true; commit: string | null; changed: boolean; skipped: number }
  | { ok: false; skipped?: true; error: string };

/** Runs a backup before a change; a failure is reported, not thrown (the change may still be wanted). */
export async function runBackupQuietly(
  adapters: Adapters,
  scope: BackupScope,
  reason: string,
): Promise<BackupNote> {
  if (!scope.inventory.backup) return { ok: false, skipped: true, error: "no backup repository configured" };
  try {
    const r = await runBackup(adapters, scope, reason);
    return { ok: true, commit: r.commit, changed: r.changed, skipped: r.skipped.length };
  } catch (e) {
    const err = asActionError(e);
    return { ok: false, error: err instanceof Error ? err.message.slice(0, 500) : String(err) };
  }
}
