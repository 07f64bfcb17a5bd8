/** import-error: the service cannot load a package it imports (a relative import is file-not-found). */
import type { Rule } from "../rule-kit/rule.ts";

/** The rule, as Python and Node word a missing package. */
export const importError: Rule = {
  id: "import-error",
  meaning: "the service cannot load a package it imports",
  triggers: [
    // ModuleNotFoundError: No module named 'yaml'; ImportError: No module named yaml (Python 2);
    // "/usr/bin/python3: No module named uvicorn" (python -m).
    { runtime: "python", pattern: /No module named '?([A-Za-z_][\w.]*)'?/, captures: { module: 1 } },
    // CommonJS "Cannot find module 'express'", ESM "Cannot find package 'x' imported from …", Bun
    // 'Cannot find package "hono" from "/srv/app/index.ts"'; a specifier that starts with . or / is the
    // service's own file, not a package.
    {
      runtime: "node",
      pattern: /Cannot find (?:module|package) ['"](?![./])((?:@[\w.-]+\/)?[\w.-]+)(?:\/[^'"]*)?['"]/,
      captures: { module: 1 },
    },
  ],
  planner: () => import("./import-error-plan.ts").then((m) => m.planImportError),
  words: () => import("./import-error-plan.ts").then((m) => m.words),
  verify: { errorGone: true },
  maxPerHour: 3,
};
