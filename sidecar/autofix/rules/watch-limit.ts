/**
 * watch-limit: ENOSPC from inotify is the per-user limit of file watchers (fs.inotify.max_user_watches),
 * not a full disk; nothing on the disk can help, so the rule reports the limit and changes nothing.
 */
import type { Rule } from "../rule-kit/rule.ts";

/** The rule, as Node (fs.watch, chokidar), Python (watchdog), Java and inotify tools word the limit. */
export const watchLimit: Rule = {
  id: "watch-limit",
  meaning: "the service hit the system limit on watched files (inotify), not a full disk",
  triggers: [
    { runtime: "node", pattern: /System limit for number of file watchers reached/i },
    {
      runtime: "any",
      pattern:
        /inotify (?:watch|instance) limit reached|limit of inotify (?:watches|instances)|inotify resources exhausted|upper limit on inotify watches/i,
    },
    { runtime: "any", pattern: /inotify_add_watch[^\n]*(?:No space left on device|ENOSPC)/i },
    { runtime: "node", pattern: /\bENOSPC\b[^\n]*\bwatch\b|\bwatch\b[^\n]*\bENOSPC\b/ },
    { runtime: "any", pattern: /\bmax_user_watches\b/ },
  ],
  planner: () => import("./watch-limit-plan.ts").then((m) => m.planWatchLimit),
  words: () => import("./watch-limit-plan.ts").then((m) => m.words),
  verify: { errorGone: true },
  maxPerHour: 0,
};
