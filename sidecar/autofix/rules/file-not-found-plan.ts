/** Plans file-not-found: restore the file from the backup when it is backed up; otherwise report. */
import { existsSync } from "node:fs";
import { isAbsolute, resolve } from "node:path";
import { sourcesOf } from "../../actions/backup.ts";
import { repoPathOf } from "../../adapters/backup-layout.ts";
import type { Planner } from "../plan.ts";

/** The planner; a relative path is taken from the service's working directory. */
export const planFileNotFound: Planner = async ({ adapters, scope, target, finding }, { report, repair }) => {
  const named = finding.facts.path;
  if (!named) return report("the error does not name the missing file");
  const workdir = target.spec.workdir;
  if (!isAbsolute(named) && !workdir)
    return report(`the error names ${named} relative to a working directory the inventory does not give`);
  const path = isAbsolute(named) ? named : resolve(workdir ?? "/", named);
  if (existsSync(path)) return report(`${path} exists now; nothing to restore`);
  if (!scope.inventory.backup) return report(`${path} is missing and no backup repository is configured`);
  const sources = await sourcesOf(adapters, scope);
  if (repoPathOf(path, sources) === null)
    return report(`${path} is missing and is not under a backed-up path of ${scope.vm}`);
  return repair([{ kind: "restore-file", path }], `${path} is missing and is in the backup`);
};
