/** out-of-memory: the kernel's OOM killer (a unit's MemoryMax or the whole VM) or the runtime's own heap limit stopped the service. */
import type { Rule } from "../rule-kit/rule.ts";

/** The rule, with systemd's own records about the unit (written by PID 1 under UNIT=) among its triggers. */
export const outOfMemory: Rule = {
  id: "out-of-memory",
  meaning: "the service ran out of memory",
  triggers: [
    { runtime: "systemd", pattern: /killed by the OOM killer|Failed with result 'oom-kill'|\boom-kill\b/i },
    { runtime: "any", pattern: /Out of memory: Kill(?:ed)? process|\boom[-_]kill(?:er)?\b/i },
    { runtime: "node", pattern: /JavaScript heap out of memory|Reached heap limit/ },
    { runtime: "python", pattern: /^\s*MemoryError\b|\bMemoryError: / },
    { runtime: "any", pattern: /java\.lang\.OutOfMemoryError|fatal error: runtime: out of memory/ },
  ],
  planner: () => import("./out-of-memory-plan.ts").then((m) => m.planOutOfMemory),
  words: () => import("./out-of-memory-plan.ts").then((m) => m.words),
  verify: { errorGone: true },
  maxPerHour: 2,
};
