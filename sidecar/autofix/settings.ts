/**
 * Auto-fix settings from the environment: VOXOPS_AUTOFIX (on | dry-run | off), VOXOPS_AUTOFIX_RULES
 * ("import-error:on,port-in-use:off"), and VOXOPS_AUTOFIX_FILE, a JSON file with an `autofix` object
 * ({"mode": "dry-run", "rules": {"port-in-use": false}, "perHour": 2, …}); the environment wins.
 */

import { readFileSync } from "node:fs";
import { builtInRules } from "./rules.ts";

/** What auto-fix may do and how fast. */
export interface AutofixSettings {
  /** on: repair; dry-run: report the plan, change nothing; off: report findings only. */
  readonly mode: "on" | "dry-run" | "off";
  /** Rules switched on or off by id; a rule not named is on. */
  readonly rules: Readonly<Record<string, boolean>>;
  /** Automatic repairs per service and rule in a rolling hour. */
  readonly perHour: number;
  /** Wait before the second repair of a service and rule; doubles for each further one. */
  readonly backoffMs: number;
  /** Failed repairs in a row after which a service's auto-repair stops. */
  readonly breakerFailures: number;
  /** How long a stopped service stays stopped before auto-repair tries again. */
  readonly breakerCooldownMs: number;
  /** Lines of one service arriving within this of each other form one burst (one finding). */
  readonly burstMs: number;
  /** After a repair, new log lines are watched this long for the error to come back. */
  readonly quietMs: number;
  /** A report-only finding repeated within this is counted, not sent again. */
  readonly dedupeMs: number;
  /** The journal is vacuumed to this size when space runs out. */
  readonly journalMaxB: number;
  /** Longest a dependency install may run. */
  readonly installTimeoutMs: number;
  /** How long a requested repair waits for the controller's `fix` before it counts as not approved. */
  readonly approvalMs: number;
}

/** The defaults: repair, 3 an hour per service and rule, 1 min backoff, stop after 3 failures for 6 h, 2 min for an approval. */
export const defaultSettings: AutofixSettings = {
  mode: "on",
  rules: {},
  perHour: 3,
  backoffMs: 60_000,
  breakerFailures: 3,
  breakerCooldownMs: 6 * 3600_000,
  burstMs: 1500,
  quietMs: 5000,
  dedupeMs: 10 * 60_000,
  journalMaxB: 200 * 1024 * 1024,
  installTimeoutMs: 10 * 60_000,
  approvalMs: 2 * 60_000,
};

const NUMBERS = [
  "perHour",
  "backoffMs",
  "breakerFailures",
  "breakerCooldownMs",
  "burstMs",
  "quietMs",
  "dedupeMs",
  "journalMaxB",
  "installTimeoutMs",
  "approvalMs",
] as const;

/** Parses "a:on,b:off" into rule switches; returns problems for anything else. */
export function parseRuleSwitches(text: string): { rules: Record<string, boolean>; problems: string[] } {
  const rules: Record<string, boolean> = {};
  const problems: string[] = [];
  for (const part of text.split(",").map((p) => p.trim())) {
    if (part === "") continue;
    const m = /^([a-z][a-z0-9-]{0,63}):(on|off|true|false)$/.exec(part);
    if (m?.[1] && m[2] && !builtInRules.some((r) => r.id === m[1]))
      problems.push(
        `VOXOPS_AUTOFIX_RULES: there is no rule "${m[1]}" (known: ${builtInRules.map((r) => r.id).join(", ")})`,
      );
    else if (m?.[1] && m[2]) rules[m[1]] = m[2] === "on" || m[2] === "true";
    else problems.push(`VOXOPS_AUTOFIX_RULES: "${part.slice(0, 40)}" is not rule:on or rule:off`);
  }
  return { rules, problems };
}

function parseMode(value: unknown): AutofixSettings["mode"] | null {
  return value === "on" || value === "off" || value === "dry-run" ? value : null;
}

/** The settings auto-fix reads: the sidecar's typed settings (or, in tests, plain strings). */
export type AutofixEnv = Readonly<
  Partial<Record<"VOXOPS_AUTOFIX" | "VOXOPS_AUTOFIX_RULES" | "VOXOPS_AUTOFIX_FILE", string | undefined>>
>;

/** Reads the settings; unusable values are named in `problems` and the default is kept. */
export function loadSettings(
  env: AutofixEnv,
  overrides: Partial<AutofixSettings> = {},
): { settings: AutofixSettings; problems: string[] } {
  const problems: string[] = [];
  let fromFile: Record<string, unknown> = {};
  const file = env["VOXOPS_AUTOFIX_FILE"];
  if (file) {
    try {
      const raw = JSON.parse(readFileSync(file, "utf8")) as { autofix?: unknown };
      const section = raw.autofix ?? raw;
      if (typeof section === "object" && section !== null) fromFile = section as Record<string, unknown>;
    } catch (e) {
      problems.push(`VOXOPS_AUTOFIX_FILE ${file}: ${(e as Error).message}`);
    }
  }
  const mutable: { -readonly [K in keyof AutofixSettings]: AutofixSettings[K] } = { ...defaultSettings };
  const fileMode = fromFile["mode"] === undefined ? null : parseMode(fromFile["mode"]);
  if (fromFile["mode"] !== undefined && fileMode === null) problems.push("autofix.mode: on, dry-run or off");
  const envMode = env["VOXOPS_AUTOFIX"] === undefined ? null : parseMode(env["VOXOPS_AUTOFIX"]);
  if (env["VOXOPS_AUTOFIX"] !== undefined && envMode === null)
    problems.push(`VOXOPS_AUTOFIX: "${env["VOXOPS_AUTOFIX"].slice(0, 20)}" is not on, dry-run or off`);
  mutable.mode = envMode ?? fileMode ?? defaultSettings.mode;
  const fileRules = fromFile["rules"];
  const rules: Record<string, boolean> = {};
  if (typeof fileRules === "object" && fileRules !== null)
    for (const [k, v] of Object.entries(fileRules)) if (typeof v === "boolean") rules[k] = v;
  const switches = parseRuleSwitches(env["VOXOPS_AUTOFIX_RULES"] ?? "");
  problems.push(...switches.problems);
  mutable.rules = { ...rules, ...switches.rules };
  for (const key of NUMBERS) {
    const v = fromFile[key];
    if (v === undefined) continue;
    if (typeof v === "number" && Number.isFinite(v) && v >= 0) mutable[key] = v;
    else problems.push(`autofix.${key}: a number of 0 or more`);
  }
  return { settings: { ...mutable, ...overrides }, problems };
}

/** True when the rule may repair on its own under these settings. */
export function ruleEnabled(settings: AutofixSettings, rule: string): boolean {
  return settings.rules[rule] ?? true;
}
