/**
 * What the root helper agrees to do, decided from the root-owned inventory alone: which files it may
 * replace, which git commands and which build or install commands it runs as a service's owner.
 * Pure functions, so the rules are tested without root.
 */
import { dirname, join, normalize } from "node:path";
import type { ServiceSpec, VmSpec } from "../../protocol/inventory.ts";

/** True when `path` is absolute, normalised and free of `..` (the helper never resolves relative paths). */
export function isPlainAbsolute(path: string): boolean {
  return (
    path.startsWith("/") && normalize(path) === path && !path.split("/").includes("..") && !path.endsWith("/")
  );
}

/**
 * The declared file a write to `path` falls under: a config file exactly, or a file under a service's
 * or the VM's backup paths. Unit files and the agent's own files are never written by the helper (a
 * unit file decides what runs as root).
 */
export function declaredWrite(vm: VmSpec, path: string): string | null {
  if (!isPlainAbsolute(path)) return null;
  for (const service of vm.services)
    for (const config of service.configs) if (config.path === path) return `${service.name}'s config file`;
  const under = (root: string) => path === root || path.startsWith(`${root.replace(/\/+$/, "")}/`);
  for (const service of vm.services)
    for (const root of service.backup) if (under(root)) return `${service.name}'s backed-up path ${root}`;
  for (const root of vm.backup) if (under(root)) return `${vm.name}'s backed-up path ${root}`;
  return null;
}

/** The directories the installer creates when missing: config directories, checkouts, backup paths. */
export function declaredDirectories(vm: VmSpec): string[] {
  const out = new Set<string>();
  for (const s of vm.services) {
    for (const c of s.configs) out.add(dirname(c.path));
    if (s.repo) out.add(s.repo.path);
    if (s.manifest) out.add(dirname(s.manifest));
    for (const p of s.backup) out.add(p);
    for (const l of s.logs) out.add(dirname(l));
  }
  for (const p of vm.backup) out.add(p);
  return [...out].filter(isPlainAbsolute).sort();
}

const GIT_SUBCOMMANDS = new Set(["status", "rev-parse", "fetch", "merge-base", "merge", "reset", "log"]);
// Options that would let the caller run a program or write outside the checkout through git.
const GIT_FORBIDDEN =
  /^(-c|--config|--exec-path|--upload-pack|--receive-pack|-u|--git-dir|--work-tree|-C|--output|-o|--ext-diff|--textconv|--recurse-submodules)(=|$)/;
const GIT_ARG = /^[A-Za-z0-9._/^{}@~:=+-]{1,200}$/;

/** Why a git command is refused for `service`, or null when the helper runs it in the checkout. */
export function gitRefusal(service: ServiceSpec, args: readonly string[]): string | null {
  if (!service.repo) return `the inventory gives ${service.name} no git checkout`;
  const [sub, ...rest] = args;
  if (sub === undefined || !GIT_SUBCOMMANDS.has(sub))
    return `git ${sub ?? "(nothing)"} is not one of the git commands a deploy needs`;
  for (const a of rest) {
    if (!GIT_ARG.test(a))
      return `git argument ${JSON.stringify(a.slice(0, 40))} has characters a deploy never uses`;
    if (GIT_FORBIDDEN.test(a)) return `git option ${a.split("=")[0]} is not allowed`;
  }
  if (sub === "fetch" && rest.some((a) => !a.startsWith("-") && a !== service.repo?.remote))
    return `git fetch may only fetch the inventory's remote ${service.repo.remote}`;
  return null;
}

/** A command the helper may run as a service's owner, and where. */
export interface ServiceCommand {
  readonly cwd: string;
  readonly argv: readonly string[];
}

/**
 * The commands the inventory lets run as `service`'s owner: its build steps in the checkout and the
 * dependency installs auto-fix plans from its manifest (the same argv `autofix/rules/import-error-plan.ts` builds).
 */
export function serviceCommands(service: ServiceSpec): ServiceCommand[] {
  const out: ServiceCommand[] = [];
  if (service.repo) for (const step of service.repo.build) out.push({ cwd: service.repo.path, argv: step });
  if (service.manifest) {
    const cwd = dirname(service.manifest);
    for (const verb of ["ci", "install"])
      out.push({ cwd, argv: ["npm", verb, "--omit=dev", "--no-audit", "--no-fund"] });
    const workdir = service.workdir ?? cwd;
    out.push({
      cwd: workdir,
      argv: [
        join(workdir, ".venv", "bin", "python"),
        "-m",
        "pip",
        "install",
        "--disable-pip-version-check",
        "-r",
        service.manifest,
      ],
    });
  }
  return out;
}

/** True when the inventory lets `argv` run in `cwd` as `service`'s owner. */
export function commandAllowed(service: ServiceSpec, cwd: string, argv: readonly string[]): boolean {
  return serviceCommands(service).some(
    (c) => c.cwd === cwd && c.argv.length === argv.length && c.argv.every((a, i) => a === argv[i]),
  );
}

const CODE_GIT_SUBCOMMANDS = new Set(["rev-parse", "log", "show", "diff-tree"]);
// The options the code actions use to read history; nothing that writes, runs a program or leaves the checkout.
const CODE_GIT_OPTIONS = new Set([
  "--show-prefix",
  "--show-toplevel",
  "--is-inside-work-tree",
  "--verify",
  "-q",
  "--quiet",
  "-1",
  "--format=%s",
  "--format=%H",
  "--no-commit-id",
  "--name-only",
  "--name-status",
  "-r",
  "--relative",
  "--no-patch",
]);

/** Why a read-only git command in a service's source root is refused, or null when the helper runs it as the owner. */
export function codeGitRefusal(args: readonly string[]): string | null {
  const [sub, ...rest] = args;
  if (sub === undefined || !CODE_GIT_SUBCOMMANDS.has(sub))
    return `git ${sub ?? "(nothing)"} is not one of the git commands that read a service's history`;
  for (const a of rest) {
    if (a.startsWith("-") && !CODE_GIT_OPTIONS.has(a)) return `git option ${a.split("=")[0]} is not allowed`;
    // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is refused
    if (a.length > 1024 || /[\u0000-\u001f\u007f]/.test(a))
      return "a git argument is too long or has control characters";
  }
  return null;
}
