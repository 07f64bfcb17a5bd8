/** The sidecar's adapters in one bundle, built from options and the environment. */

import { join } from "node:path";
import { childEnvironment } from "../../protocol/settings/child-environment.ts";
import { ownedRoots } from "./backup-layout.ts";
import { type BackupRepo, createBackupRepo } from "./backup-repo.ts";
import { createFiles, type Files } from "./files.ts";
import { createGit, type Git } from "./git.ts";
import { createJournal, type Journal } from "./journal.ts";
import { createHelperPrivilege, type Privilege } from "./privilege.ts";
import { createSystemd, type Systemd } from "./systemd.ts";

/** How long to wait for a service to come up and how long it must stay up to count as up. */
export interface Timing {
  /** A unit must reach "active" within this. */
  readonly activeWithinMs: number;
  /** …and still be active this long after (a crash loop looks active for a moment). */
  readonly stableMs: number;
  /** The health URL must answer within this after the unit is active. */
  readonly healthWithinMs: number;
  /** One health request may take this long. */
  readonly healthTimeoutMs: number;
  /** Longest a build step of a deploy may run. */
  readonly buildTimeoutMs: number;
  /** Longest a config check command may run. */
  readonly checkTimeoutMs: number;
}

/** Everything the action handlers use to touch the VM. */
export interface Adapters {
  readonly systemd: Systemd;
  readonly journal: Journal;
  readonly git: Git;
  readonly files: Files;
  /** Root of the /proc file system (tests may point elsewhere). */
  readonly proc: string;
  /** Directory for the backup clone, previous file versions and other sidecar state. */
  readonly stateDir: string;
  /** The sidecar's own files, backed up under agent/<vm>/. */
  readonly agentPaths: readonly string[];
  readonly timing: Timing;
  /** The backup repository clone for a VM (one per VM and remote, reused so pushes are serialised). */
  backupRepo(target: { vm: string; remote: string; branch: string }): BackupRepo;
  /** The environment handed to build steps and check commands. */
  readonly env: NodeJS.ProcessEnv;
  /** The root helper on an installed VM (VOXOPS_HELPER); absent when the sidecar does every step itself. */
  readonly privilege?: Privilege;
}

/** Options for `createAdapters`; each falls back to an environment variable, then a default. */
export interface AdapterOptions {
  /** VOXOPS_SYSTEMCTL, default "systemctl". */
  readonly systemctl?: string;
  /** VOXOPS_JOURNALCTL, default "journalctl". */
  readonly journalctl?: string;
  /** VOXOPS_GIT, default "git". */
  readonly git?: string;
  /** VOXOPS_STATE_DIR, default "/var/lib/voxops". */
  readonly stateDir?: string;
  /** VOXOPS_HELPER: the root helper's wrapper, on an installed VM. */
  readonly helper?: string;
  /** VOXOPS_AGENT_PATHS (colon-separated absolute paths), default none. */
  readonly agentPaths?: readonly string[];
  readonly proc?: string;
  readonly timing?: Partial<Timing>;
  readonly env?: NodeJS.ProcessEnv;
}

const defaultTiming: Timing = {
  activeWithinMs: 15_000,
  stableMs: 1_500,
  healthWithinMs: 15_000,
  healthTimeoutMs: 3_000,
  buildTimeoutMs: 10 * 60_000,
  checkTimeoutMs: 30_000,
};

/** Builds the adapters; nothing runs until an adapter is called. */
export function createAdapters(options: AdapterOptions = {}): Adapters {
  // What every program the sidecar starts inherits: no token, key or secret of anyone's.
  const env = childEnvironment(options.env ?? process.env);
  const stateDir = options.stateDir ?? env["VOXOPS_STATE_DIR"] ?? "/var/lib/voxops";
  const agentPaths =
    options.agentPaths ??
    (env["VOXOPS_AGENT_PATHS"] ?? "")
      .split(":")
      .filter((p) => p.startsWith("/") && !p.split("/").includes(".."));
  const helperPath = options.helper ?? env["VOXOPS_HELPER"];
  const privilege = helperPath ? createHelperPrivilege(helperPath, env) : undefined;
  const directSystemd = createSystemd({
    ...(options.systemctl ? { systemctl: options.systemctl } : {}),
    env,
  });
  const directJournal = createJournal({
    ...(options.journalctl ? { journalctl: options.journalctl } : {}),
    env,
  });
  // On an installed VM, a forced reboot and the journal vacuum need root: the helper does them.
  const systemd: Systemd = privilege
    ? { ...directSystemd, reboot: (o) => (o?.force ? privilege.rebootForce() : directSystemd.reboot(o)) }
    : directSystemd;
  const journal: Journal = privilege
    ? { ...directJournal, vacuum: (maxBytes) => privilege.vacuumJournal(maxBytes) }
    : directJournal;
  const repos = new Map<string, BackupRepo>();
  const gitFor = (vm: string) =>
    createGit({
      ...(options.git ? { git: options.git } : {}),
      env,
      identity: { name: `voxops ${vm}`, email: `voxops@${vm}.invalid` },
    });
  return {
    systemd,
    journal,
    git: gitFor("sidecar"),
    files: createFiles(stateDir, privilege),
    proc: options.proc ?? "/proc",
    stateDir,
    agentPaths,
    timing: { ...defaultTiming, ...options.timing },
    env,
    ...(privilege ? { privilege } : {}),
    backupRepo({ vm, remote, branch }) {
      const key = `${vm}\0${remote}\0${branch}`;
      let repo = repos.get(key);
      if (!repo) {
        repo = createBackupRepo({
          git: gitFor(vm),
          workdir: join(stateDir, "backup", vm),
          remote,
          branch,
          roots: ownedRoots(vm),
          ...(privilege ? { readDeclared: (path: string) => privilege.readDeclared(path) } : {}),
        });
        repos.set(key, repo);
      }
      return repo;
    },
  };
}

export type { BackupRepo, Files, Git, Journal, Privilege, Systemd };
