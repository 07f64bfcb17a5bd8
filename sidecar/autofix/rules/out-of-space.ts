/** out-of-space: a write failed because the disk is full. */
import type { Rule } from "../rule-kit/rule.ts";

/** The rule; the inotify watcher limit (also ENOSPC) is matched first by watch-limit. */
export const outOfSpace: Rule = {
  id: "out-of-space",
  meaning: "the disk is full",
  triggers: [
    {
      runtime: "any",
      pattern: /No space left on device|\bENOSPC\b|\[Errno 28\]|Disk quota exceeded|\bEDQUOT\b/i,
    },
  ],
  planner: () => import("./out-of-space-plan.ts").then((m) => m.planOutOfSpace),
  words: () => import("./out-of-space-plan.ts").then((m) => m.words),
  verify: { errorGone: true },
  maxPerHour: 3,
};
