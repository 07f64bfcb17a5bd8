/** Plans import-error: reinstall the dependencies when the manifest declares the missing package, else propose a change. */
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { declaringPackage, readManifest } from "../rule-kit/manifest.ts";
import type { Planner } from "../rule-kit/plan.ts";
import type { WordBook, Words } from "../rule-kit/words.ts";

/** Every sentence this planner can return. */
export const words = {
  unnamed: () => ({
    en: "the error does not name the missing module",
    ru: "в ошибке не назван недостающий модуль",
  }),
  noManifest: (p: { name: string }) => ({
    en: `the inventory names no manifest for ${p.name}`,
    ru: `в инвентаре нет манифеста для ${p.name}`,
  }),
  unreadable: (p: { manifest: string }) => ({
    en: `${p.manifest} cannot be read as package.json or requirements.txt`,
    ru: `${p.manifest} не читается как package.json или requirements.txt`,
  }),
  undeclared: (p: { module: string; manifest: string }) => ({
    en: `${p.module} is not declared in ${p.manifest}; voxops does not guess`,
    ru: `${p.module} не объявлен в ${p.manifest}; угадывать не буду`,
  }),
  declared: (p: { module: string; manifest: string }) => ({
    en: `${p.module} is declared in ${p.manifest}`,
    ru: `${p.module} объявлен в ${p.manifest}`,
  }),
  declaredAs: (p: { module: string; pkg: string; manifest: string }) => ({
    en: `${p.module} comes from ${p.pkg}, declared in ${p.manifest}`,
    ru: `${p.module} входит в пакет ${p.pkg}, объявленный в ${p.manifest}`,
  }),
  noVenv: (p: { why: Words; workdir: string }) => ({
    en: `${p.why.en}, but ${p.workdir}/.venv does not exist; install it yourself`,
    ru: `${p.why.ru}, но ${p.workdir}/.venv нет; установите его сами`,
  }),
  askVenv: (p: { name: string; workdir: string }) => ({
    en: `Create a virtual environment for ${p.name} in ${p.workdir}/.venv (python3 -m venv) and install its requirements there?`,
    ru: `Создать виртуальное окружение для ${p.name} в ${p.workdir}/.venv (python3 -m venv) и установить туда его зависимости?`,
  }),
  propose: (p: { name: string; module: string }) => ({
    en: `${p.name} cannot import ${p.module}; propose a change (add it to the manifest or fix the import) for the operator to confirm`,
    ru: `${p.name} не может импортировать ${p.module}; предложить изменение (добавить пакет в манифест или исправить импорт) на ваше подтверждение`,
  }),
} satisfies WordBook;

/** The planner. */
export const planImportError: Planner = async ({ target, finding }, { report, repair }) => {
  const name = target.spec.name;
  const module = finding.facts.module;
  const manifest = target.spec.manifest;
  const propose = (why: Words) => report(why, { proposal: words.propose({ name, module: module ?? "?" }) });
  if (!module) return propose(words.unnamed());
  if (!manifest) return propose(words.noManifest({ name }));
  const info = await readManifest(manifest);
  if (!info) return propose(words.unreadable({ manifest }));
  const pkg = declaringPackage(info, module);
  if (pkg === null) return propose(words.undeclared({ module, manifest }));
  const why =
    pkg === module ? words.declared({ module, manifest }) : words.declaredAs({ module, pkg, manifest });
  const cwd = dirname(manifest);
  if (info.runtime === "node") {
    const locked = existsSync(join(cwd, "package-lock.json")) || existsSync(join(cwd, "npm-shrinkwrap.json"));
    const argv = ["npm", locked ? "ci" : "install", "--omit=dev", "--no-audit", "--no-fund"];
    return repair([{ kind: "install-deps", runtime: "node", cwd, argv }], why);
  }
  const workdir = target.spec.workdir ?? cwd;
  const python = join(workdir, ".venv", "bin", "python");
  if (!existsSync(python))
    return report(words.noVenv({ why, workdir }), { ask: words.askVenv({ name, workdir }) });
  const argv = [python, "-m", "pip", "install", "--disable-pip-version-check", "-r", manifest];
  return repair([{ kind: "install-deps", runtime: "python", cwd: workdir, argv }], why);
};
