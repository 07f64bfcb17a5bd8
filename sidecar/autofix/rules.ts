/**
 * The auto-fix rules as data, in the trigger → criteria → action shape: what a log line looks like, what
 * it means, what must hold before anything is changed, which typed repair steps run, how the repair is
 * verified and how often it may run. Nothing here reads instructions from a log line: a trigger is an
 * error signature, and the only steps a rule can take are its own, from a closed set.
 */

/** The runtimes whose error messages the triggers know. */
export type Runtime = "node" | "python" | "any";

/** The typed repair steps; each is implemented once, in repair-steps.ts. */
export type StepKind = "install-deps" | "stop-stale-process" | "restore-file" | "reclaim-space" | "restart";

/** Facts a trigger may capture from the line, by name. */
export type FactName = "module" | "port" | "path";

/** One error signature: a pattern for one runtime and which capture group holds which fact. */
export interface Trigger {
  readonly runtime: Runtime;
  readonly pattern: RegExp;
  readonly captures?: Partial<Record<FactName, number>>;
}

/** A condition checked on the VM before a repair; when it does not hold, the rule reports instead. */
export type Criterion =
  | "module-declared-in-manifest"
  | "port-held-by-stale-copy"
  | "path-in-backup"
  | "always";

/** How a repair is checked: the unit is active and stable, the health URL answers, the error stays away. */
export interface VerifySpec {
  readonly active: true;
  readonly health: boolean;
  /** The trigger must not match any new log line during the quiet window. */
  readonly errorGone: boolean;
}

/** One rule. */
export interface Rule {
  readonly id: string;
  /** What the error means, for the operator. */
  readonly meaning: string;
  readonly triggers: readonly Trigger[];
  readonly criteria: readonly Criterion[];
  /** The steps, in order, when every criterion holds; empty for report-only rules. */
  readonly actions: readonly StepKind[];
  /** What is told to the operator when a criterion does not hold. */
  readonly otherwise: "propose-llm-change" | "ask-operator" | "report";
  readonly verify: VerifySpec;
  /** Repairs per service and hour before the rule stops for that service (settings may lower it). */
  readonly maxPerHour: number;
}

const verifyAll: VerifySpec = { active: true, health: true, errorGone: true };

/** The built-in rules, most specific first; the last one catches every other error line. */
export const builtInRules: readonly Rule[] = [
  {
    id: "import-error",
    meaning: "the service cannot load a module it imports",
    triggers: [
      {
        runtime: "python",
        pattern: /ModuleNotFoundError: No module named '([\w.]+)'/,
        captures: { module: 1 },
      },
      { runtime: "python", pattern: /ImportError: No module named '?([\w.]+)'?/, captures: { module: 1 } },
      {
        runtime: "node",
        pattern: /Cannot find (?:module|package) '((?:@[\w.-]+\/)?[\w.-]+)(?:\/[^']*)?'/,
        captures: { module: 1 },
      },
      { runtime: "node", pattern: /ERR_MODULE_NOT_FOUND/ },
    ],
    criteria: ["module-declared-in-manifest"],
    actions: ["install-deps", "restart"],
    otherwise: "propose-llm-change",
    verify: verifyAll,
    maxPerHour: 3,
  },
  {
    id: "port-in-use",
    meaning: "another process already listens on the service's port",
    triggers: [
      { runtime: "node", pattern: /EADDRINUSE[^\n]*?:(\d{1,5})\b/, captures: { port: 1 } },
      { runtime: "node", pattern: /EADDRINUSE/ },
      { runtime: "any", pattern: /Address already in use/i },
    ],
    criteria: ["port-held-by-stale-copy"],
    actions: ["stop-stale-process", "restart"],
    otherwise: "ask-operator",
    verify: verifyAll,
    maxPerHour: 3,
  },
  {
    id: "file-not-found",
    meaning: "the service needs a file that is not there",
    triggers: [
      { runtime: "any", pattern: /No such file or directory[^'\n]*'(\/[^'\n]+)'/i, captures: { path: 1 } },
      { runtime: "node", pattern: /ENOENT[^'\n]*'(\/[^'\n]+)'/, captures: { path: 1 } },
      { runtime: "python", pattern: /FileNotFoundError/ },
      { runtime: "node", pattern: /\bENOENT\b/ },
    ],
    criteria: ["path-in-backup"],
    actions: ["restore-file", "restart"],
    otherwise: "report",
    verify: verifyAll,
    maxPerHour: 3,
  },
  {
    id: "out-of-space",
    meaning: "the service ran out of memory or disk space",
    triggers: [
      { runtime: "node", pattern: /JavaScript heap out of memory/ },
      { runtime: "python", pattern: /\bMemoryError\b/ },
      { runtime: "any", pattern: /\bENOSPC\b|No space left on device/i },
      { runtime: "any", pattern: /killed by the OOM killer|Out of memory: Killed process|oom-kill/i },
    ],
    criteria: ["always"],
    actions: ["reclaim-space", "restart"],
    otherwise: "report",
    verify: verifyAll,
    maxPerHour: 3,
  },
  {
    id: "unknown-error",
    meaning: "an error no rule knows",
    triggers: [],
    criteria: [],
    actions: [],
    otherwise: "report",
    verify: verifyAll,
    maxPerHour: 0,
  },
];

/** The id of the catch-all rule. */
export const UNKNOWN_RULE = "unknown-error";

/** The rule with this id, if there is one. */
export function ruleById(id: string, rules: readonly Rule[] = builtInRules): Rule | undefined {
  return rules.find((r) => r.id === id);
}
