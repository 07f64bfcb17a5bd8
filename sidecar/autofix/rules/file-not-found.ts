/** file-not-found: the service needs a file that is not there (its script, a config, a relative import). */
import { dirname, isAbsolute, resolve } from "node:path";
import type { FactName } from "../rule-kit/finding.ts";
import type { Rule } from "../rule-kit/rule.ts";

/** The file that required a relative module: Node's "Require stack", ESM's "imported from", Bun's `from "…"`. */
function requirer(lines: readonly string[]): string | undefined {
  for (const line of lines) {
    const m =
      /imported from (\/\S+)/.exec(line) ?? / from "(\/[^"]+)"/.exec(line) ?? /^\s*- (\/\S+)\s*$/.exec(line);
    if (m?.[1]) return m[1].replace(/^file:\/\//, "");
  }
  return undefined;
}

/** The rule: the path is read whether the program prints it before the message or after it. */
export const fileNotFound: Rule = {
  id: "file-not-found",
  meaning: "the service needs a file that is not there",
  triggers: [
    // python3: can't open file '/srv/app/main.py': [Errno 2] No such file or directory
    { runtime: "python", pattern: /can't open file '([^'\n]+)'/, captures: { path: 1 } },
    // Node: Cannot find module '../config' / '/srv/app/main.js' (a file of the service, not a package);
    // Bun: Cannot find module "./config" from "/srv/app/index.ts"
    { runtime: "node", pattern: /Cannot find module ['"]([./][^'"\n]*)['"]/, captures: { path: 1 } },
    // Deno: error: Module not found "file:///srv/app/utils.ts".
    { runtime: "node", pattern: /Module not found "file:\/\/(\/[^"\n]+)"/, captures: { path: 1 } },
    // systemd: Failed at step EXEC spawning /srv/app/run: No such file or directory
    {
      runtime: "systemd",
      pattern: /(?:Failed at step EXEC spawning|Failed to locate executable|Failed to execute) (\/[^\s:]+)/,
      captures: { path: 1 },
    },
    // bash: /srv/app/start.sh: No such file or directory; /bin/sh: 1: /srv/run.sh: not found;
    // Go: open /etc/app/config.yaml: no such file or directory
    {
      runtime: "any",
      pattern: /(?:^|[\s'"])(\/[^\s:'"]+): (?:No such file or directory|not found)/i,
      captures: { path: 1 },
    },
    // ruby: No such file or directory -- /srv/app/main.rb (LoadError); PHP: Could not open input file: x;
    // Java: Error: Unable to access jarfile x; Perl: Can't open perl script "x": No such file or directory
    {
      runtime: "any",
      pattern:
        /No such file or directory -- (\S+)|Could not open input file: (\S+)|Unable to access jarfile (\S+)|Can't open perl script "([^"]+)"/,
      read: { path: (_, m) => m[1] ?? m[2] ?? m[3] ?? m[4] },
    },
    // FileNotFoundError: [Errno 2] No such file or directory: 'x'; ENOENT: …, open 'x'
    { runtime: "any", pattern: /No such file or directory[^'\n]*'([^'\n]+)'/i, captures: { path: 1 } },
    { runtime: "node", pattern: /\bENOENT\b[^'\n]*'([^'\n]+)'/, captures: { path: 1 } },
    { runtime: "python", pattern: /\bFileNotFoundError\b/ },
    { runtime: "node", pattern: /\bENOENT\b/ },
  ],
  refine(facts, lines) {
    const path = facts.path;
    if (path === undefined || isAbsolute(path) || !/^\.\.?\//.test(path)) return facts;
    const from = requirer(lines);
    const out: Partial<Record<FactName, string>> = { ...facts };
    if (from) out.path = resolve(dirname(from), path);
    return out;
  },
  planner: () => import("./file-not-found-plan.ts").then((m) => m.planFileNotFound),
  words: () => import("./file-not-found-plan.ts").then((m) => m.words),
  verify: { errorGone: true },
  maxPerHour: 3,
};
