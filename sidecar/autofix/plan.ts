/**
 * Planning a repair: checks a rule's criteria on the VM (read-only) and turns a finding into typed
 * steps, or into a report with a question or a proposal when the criteria do not hold.
 */
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { type BackupScope, sourcesOf } from "../actions/backup.ts";
import type { ServiceTarget } from "../actions/targets.ts";
import { repoPathOf } from "../adapters/backup-layout.ts";
import type { Adapters } from "../adapters/index.ts";
import { findRotatedLogs } from "../adapters/rotated-logs.ts";
import { portOwners } from "../system/ports.ts";
import type { Finding } from "./finding.ts";
import { isDeclared, readManifest } from "./manifest.ts";
import { ruleById } from "./rules.ts";
import { commandName, judgeStale, readUnitCommand } from "./stale-process.ts";
import { type Suggestion, suggestionsFor } from "./suggest.ts";

/** One typed repair step. */
export type Step =
  | {
      readonly kind: "install-deps";
      readonly runtime: "node" | "python";
      readonly cwd: string;
      readonly argv: string[];
    }
  | {
      readonly kind: "stop-stale-process";
      readonly pid: number;
      readonly name: string;
      readonly port: number;
    }
  | { readonly kind: "restore-file"; readonly path: string }
  | {
      readonly kind: "reclaim-space";
      readonly journalMaxB: number;
      readonly logFiles: string[];
      readonly rotated: string[];
    }
  | { readonly kind: "restart"; readonly unit: string };

/** What to do about a finding. */
export interface Plan {
  readonly decision: "repair" | "report";
  readonly rule: string;
  readonly steps: Step[];
  /** Why this decision, in words. */
  readonly reason: string;
  /** A question for the operator when only a human may decide. */
  readonly ask?: string;
  /** A change for the LLM layer to propose and the operator to confirm. */
  readonly proposal?: { readonly via: "llm"; readonly what: string };
  /** Who holds the port (port-in-use only). */
  readonly holders?: { pid: number; name: string; stale: boolean; why: string }[];
  readonly suggest: Suggestion[];
}

/** Plans the repair of a finding for `target`; reads the VM, changes nothing. */
export async function planFix(
  adapters: Adapters,
  scope: BackupScope,
  target: ServiceTarget,
  finding: Finding,
  options: { journalMaxB: number },
): Promise<Plan> {
  const name = target.spec.name;
  const suggest = suggestionsFor(name);
  const restart: Step = { kind: "restart", unit: target.unit };
  const report = (reason: string, extra: Partial<Plan> = {}): Plan => ({
    decision: "report",
    rule: finding.rule,
    steps: [],
    reason,
    suggest,
    ...extra,
  });
  const repair = (steps: Step[], reason: string, extra: Partial<Plan> = {}): Plan => ({
    decision: "repair",
    rule: finding.rule,
    steps: [...steps, restart],
    reason,
    suggest,
    ...extra,
  });
  const rule = ruleById(finding.rule);
  if (!rule || rule.actions.length === 0) return report(`no rule repairs this error (${finding.rule})`);
  switch (finding.rule) {
    case "import-error": {
      const module = finding.facts.module;
      const manifest = target.spec.manifest;
      const propose = (why: string) =>
        report(why, {
          proposal: {
            via: "llm",
            what: `${name} cannot import ${module ?? "a module"}; propose a change (add it to the manifest or fix the import) for the operator to confirm`,
          },
        });
      if (!module) return propose("the error does not name the missing module");
      if (!manifest) return propose(`the inventory names no manifest for ${name}`);
      const info = await readManifest(manifest);
      if (!info) return propose(`${manifest} cannot be read as package.json or requirements.txt`);
      if (!isDeclared(info, module))
        return propose(`${module} is not declared in ${manifest}; voxops does not guess`);
      const cwd = dirname(manifest);
      if (info.runtime === "node") {
        const locked =
          existsSync(join(cwd, "package-lock.json")) || existsSync(join(cwd, "npm-shrinkwrap.json"));
        const argv = ["npm", locked ? "ci" : "install", "--omit=dev", "--no-audit", "--no-fund"];
        return repair(
          [{ kind: "install-deps", runtime: "node", cwd, argv }],
          `${module} is declared in ${manifest}`,
        );
      }
      const workdir = target.spec.workdir ?? cwd;
      const python = join(workdir, ".venv", "bin", "python");
      if (!existsSync(python))
        return report(
          `${module} is declared in ${manifest}, but ${workdir}/.venv does not exist; install it yourself`,
          {
            ask: `Create a virtual environment for ${name} in ${workdir}/.venv?`,
          },
        );
      const argv = [python, "-m", "pip", "install", "--disable-pip-version-check", "-r", manifest];
      return repair(
        [{ kind: "install-deps", runtime: "python", cwd: workdir, argv }],
        `${module} is declared in ${manifest}`,
      );
    }
    case "port-in-use": {
      const port = finding.facts.port !== undefined ? Number(finding.facts.port) : target.spec.port;
      if (port === undefined || !Number.isInteger(port) || port < 1 || port > 65535)
        return report("the error does not say which port, and the inventory gives none");
      // Another user's process cannot be inspected by the sidecar's own user: on an installed VM the
      // root helper finds and judges the holders (read-only), the same way as below.
      const owners = adapters.privilege ? [] : await portOwners(port, adapters.proc);
      const status = (await adapters.systemd.status([target.unit]))[0] ?? null;
      const unitCommand = await readUnitCommand(status?.fragmentPath ?? null);
      const holders = adapters.privilege
        ? await adapters.privilege.portHolders(name, port)
        : await Promise.all(
            owners.map(async (o) => {
              const v = await judgeStale(o.pid, unitCommand, {
                mainPid: status?.mainPid ?? null,
                workdir: target.spec.workdir ?? null,
                proc: adapters.proc,
              });
              return {
                pid: o.pid,
                name: await commandName(o.pid, adapters.proc, o.name),
                stale: v.stale,
                why: v.reason,
              };
            }),
          );
      if (holders.length === 0) return repair([], `nobody holds port ${port} any more`);
      if (holders.every((h) => h.stale))
        return repair(
          holders.map((h) => ({ kind: "stop-stale-process", pid: h.pid, name: h.name, port })),
          `port ${port} is held by a stale copy of ${name}`,
          { holders },
        );
      const other = holders.filter((h) => !h.stale);
      return report(`port ${port} is held by another program; it is not stopped automatically`, {
        holders,
        ask: `Port ${port} is held by ${other.map((h) => `pid ${h.pid} (${h.name})`).join(", ")}, not by ${name}. What should be done?`,
      });
    }
    case "file-not-found": {
      const path = finding.facts.path;
      if (!path) return report("the error does not name the missing file");
      if (existsSync(path)) return report(`${path} exists now; nothing to restore`);
      if (!scope.inventory.backup) return report("no backup repository is configured");
      const sources = await sourcesOf(adapters, scope);
      if (repoPathOf(path, sources) === null)
        return report(`${path} is not under a backed-up path of ${scope.vm}`);
      return repair([{ kind: "restore-file", path }], `${path} is in the backup`);
    }
    case "out-of-space": {
      const rotated = (await findRotatedLogs(target.spec.logs)).map((r) => r.path);
      return repair(
        [
          {
            kind: "reclaim-space",
            journalMaxB: options.journalMaxB,
            logFiles: [...target.spec.logs],
            rotated,
          },
        ],
        "space can be reclaimed from the journal and rotated logs",
      );
    }
    default:
      return report(`no planner for ${finding.rule}`);
  }
}
