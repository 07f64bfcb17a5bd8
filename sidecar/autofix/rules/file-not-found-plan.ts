/** Plans file-not-found: restore the file from the backup when it is backed up; otherwise report. */
import { existsSync } from "node:fs";
import { isAbsolute, resolve } from "node:path";
import { repoPathOf } from "../../adapters/backup-layout.ts";
import { sourcesOf } from "../../services/backup.ts";
import type { Planner } from "../rule-kit/plan.ts";
import type { WordBook } from "../rule-kit/words.ts";

/** Every sentence this planner can return. */
export const words = {
  unnamed: () => ({
    en: "the error does not name the missing file",
    ru: "в ошибке не назван недостающий файл",
  }),
  noWorkdir: (p: { path: string }) => ({
    en: `the error names ${p.path} relative to a working directory the inventory does not give`,
    ru: `в ошибке путь ${p.path} относительно рабочего каталога, которого нет в инвентаре`,
  }),
  exists: (p: { path: string }) => ({
    en: `${p.path} exists now; nothing to restore`,
    ru: `${p.path} уже на месте; восстанавливать нечего`,
  }),
  noBackup: (p: { path: string }) => ({
    en: `${p.path} is missing and no backup repository is configured`,
    ru: `${p.path} нет, а репозиторий бэкапов не настроен`,
  }),
  notBackedUp: (p: { path: string; vm: string }) => ({
    en: `${p.path} is missing and is not under a backed-up path of ${p.vm}`,
    ru: `${p.path} нет, и он не входит в пути бэкапа ${p.vm}`,
  }),
  restore: (p: { path: string }) => ({
    en: `${p.path} is missing and is in the backup`,
    ru: `${p.path} нет, но он есть в бэкапе`,
  }),
} satisfies WordBook;

/** The planner; a relative path is taken from the service's working directory. */
export const planFileNotFound: Planner = async ({ adapters, scope, target, finding }, { report, repair }) => {
  const named = finding.facts.path;
  if (!named) return report(words.unnamed());
  const workdir = target.spec.workdir;
  if (!isAbsolute(named) && !workdir) return report(words.noWorkdir({ path: named }));
  const path = isAbsolute(named) ? named : resolve(workdir ?? "/", named);
  if (existsSync(path)) return report(words.exists({ path }));
  if (!scope.inventory.backup) return report(words.noBackup({ path }));
  const sources = await sourcesOf(adapters, scope);
  if (repoPathOf(path, sources) === null) return report(words.notBackedUp({ path, vm: scope.vm }));
  return repair([{ kind: "restore-file", path }], words.restore({ path }));
};
