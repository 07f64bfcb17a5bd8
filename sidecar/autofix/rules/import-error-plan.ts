/** Plans import-error: reinstall the dependencies when the manifest declares the missing package, else propose a change. */
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { declaringPackage, readManifest } from "../manifest.ts";
import type { Planner, Said } from "../plan.ts";

/** The planner. */
export const planImportError: Planner = async ({ target, finding }, { report, repair }) => {
  const name = target.spec.name;
  const module = finding.facts.module;
  const manifest = target.spec.manifest;
  const propose = (why: Said) =>
    report(why, {
      proposal: {
        via: "llm",
        what: `${name} cannot import ${module ?? "a module"}; propose a change (add it to the manifest or fix the import) for the operator to confirm`,
      },
    });
  if (!module)
    return propose({
      en: "the error does not name the missing module",
      ru: "в ошибке не назван недостающий модуль",
    });
  if (!manifest)
    return propose({
      en: `the inventory names no manifest for ${name}`,
      ru: `в инвентаре нет манифеста для ${name}`,
    });
  const info = await readManifest(manifest);
  if (!info)
    return propose({
      en: `${manifest} cannot be read as package.json or requirements.txt`,
      ru: `${manifest} не читается как package.json или requirements.txt`,
    });
  const pkg = declaringPackage(info, module);
  if (pkg === null)
    return propose({
      en: `${module} is not declared in ${manifest}; voxops does not guess`,
      ru: `${module} не объявлен в ${manifest}; угадывать не буду`,
    });
  const why =
    pkg === module
      ? `${module} is declared in ${manifest}`
      : `${module} comes from ${pkg}, declared in ${manifest}`;
  const cwd = dirname(manifest);
  if (info.runtime === "node") {
    const locked = existsSync(join(cwd, "package-lock.json")) || existsSync(join(cwd, "npm-shrinkwrap.json"));
    const argv = ["npm", locked ? "ci" : "install", "--omit=dev", "--no-audit", "--no-fund"];
    return repair([{ kind: "install-deps", runtime: "node", cwd, argv }], why);
  }
  const workdir = target.spec.workdir ?? cwd;
  const python = join(workdir, ".venv", "bin", "python");
  if (!existsSync(python))
    return report(`${why}, but ${workdir}/.venv does not exist; install it yourself`, {
      ask: `Create a virtual environment for ${name} in ${workdir}/.venv?`,
    });
  const argv = [python, "-m", "pip", "install", "--disable-pip-version-check", "-r", manifest];
  return repair([{ kind: "install-deps", runtime: "python", cwd: workdir, argv }], why);
};
