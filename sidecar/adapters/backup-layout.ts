/**
 * Where each backed-up path lives in the backup repository (the specification's layout):
 *   <vm>/configs/<absolute path>    config files of the inventory's services
 *   <vm>/services/<unit file>       systemd unit files of the services
 *   <vm>/<service>/<absolute path>  a service's own backup paths ("_<service>" if it is a reserved word)
 *   <vm>/files/<absolute path>      the VM's own backup paths
 *   agent/<vm>/<absolute path>      the sidecar's own files
 * Each VM writes only `<vm>/` and `agent/<vm>/`, so two VMs never touch the same file.
 */
import { basename } from "node:path";
import type { VmSpec } from "../../protocol/inventory.ts";

/** One local path and the repository path it is copied to. */
export interface BackupSource {
  /** Absolute local path (a file or a directory). */
  readonly source: string;
  /** Repository-relative path the source maps to. */
  readonly target: string;
}

const RESERVED = new Set(["configs", "services", "files"]);

/** The repository subtrees a VM owns. */
export function ownedRoots(vm: string): string[] {
  return [vm, `agent/${vm}`];
}

/** Everything a VM backs up, from the inventory, the services' unit files and the agent's own paths. */
export function backupSources(
  vm: VmSpec,
  extra: { unitFiles?: readonly string[]; agentPaths?: readonly string[] } = {},
): BackupSource[] {
  const out: BackupSource[] = [];
  const add = (source: string, target: string): void => {
    if (!out.some((s) => s.source === source && s.target === target)) out.push({ source, target });
  };
  for (const service of vm.services) {
    for (const config of service.configs) add(config.path, `${vm.name}/configs${config.path}`);
    const dir = RESERVED.has(service.name) ? `_${service.name}` : service.name;
    for (const path of service.backup) add(path, `${vm.name}/${dir}${path}`);
    if (service.code) add(service.code.root, `${vm.name}/${dir}${service.code.root}`);
  }
  for (const unit of extra.unitFiles ?? []) add(unit, `${vm.name}/services/${basename(unit)}`);
  for (const path of vm.backup) add(path, `${vm.name}/files${path}`);
  for (const path of extra.agentPaths ?? []) add(path, `agent/${vm.name}${path}`);
  return out;
}

/** The local path a repository path restores to, when it lies under one of `sources`; else null. */
export function originalPath(repoPath: string, sources: readonly BackupSource[]): string | null {
  for (const s of sources) {
    if (repoPath === s.target) return s.source;
    if (repoPath.startsWith(`${s.target}/`)) return `${s.source}${repoPath.slice(s.target.length)}`;
  }
  return null;
}

/** The repository path of a local path, when it lies under one of `sources`; else null. */
export function repoPathOf(localPath: string, sources: readonly BackupSource[]): string | null {
  for (const s of sources) {
    if (localPath === s.source) return s.target;
    if (localPath.startsWith(`${s.source.replace(/\/$/, "")}/`))
      return `${s.target}${localPath.slice(s.source.replace(/\/$/, "").length)}`;
  }
  return null;
}
