/** Plans file-not-found: restore the file from the backup when it is backed up; otherwise report. */
import { existsSync } from "node:fs";
import { isAbsolute, resolve } from "node:path";
import { sourcesOf } from "../../actions/backup.ts";
import { repoPathOf } from "../../adapters/backup-layout.ts";
import type { Planner } from "../plan.ts";

/** The planner; a relative path is taken from the service's working directory. */
export const planFileNotFound: Planner = async ({ adapters, scope, target, finding }, { report, repair }) => {
  const named = finding.facts.path;
  if (!named)
    return report({
      en: "the error does not name the missing file",
      ru: "в ошибке не назван недостающий файл",
    });
  const workdir = target.spec.workdir;
  if (!isAbsolute(named) && !workdir)
    return report({
      en: `the error names ${named} relative to a working directory the inventory does not give`,
      ru: `в ошибке путь ${named} относительно рабочего каталога, которого нет в инвентаре`,
    });
  const path = isAbsolute(named) ? named : resolve(workdir ?? "/", named);
  if (existsSync(path))
    return report({
      en: `${path} exists now; nothing to restore`,
      ru: `${path} уже на месте; восстанавливать нечего`,
    });
  if (!scope.inventory.backup)
    return report({
      en: `${path} is missing and no backup repository is configured`,
      ru: `${path} нет, а репозиторий бэкапов не настроен`,
    });
  const sources = await sourcesOf(adapters, scope);
  if (repoPathOf(path, sources) === null)
    return report({
      en: `${path} is missing and is not under a backed-up path of ${scope.vm}`,
      ru: `${path} нет, и он не входит в пути бэкапа ${scope.vm}`,
    });
  return repair([{ kind: "restore-file", path }], {
    en: `${path} is missing and is in the backup`,
    ru: `${path} нет, но он есть в бэкапе`,
  });
};
