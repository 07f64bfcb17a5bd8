/** Plans out-of-space: reclaim space from the journal and the service's rotated logs, never user data. */
import { findRotatedLogs } from "../../adapters/rotated-logs.ts";
import type { Planner } from "../plan.ts";

/** The planner. */
export const planOutOfSpace: Planner = async ({ target, options }, { repair }) => {
  const rotated = (await findRotatedLogs(target.spec.logs)).map((r) => r.path);
  return repair(
    [{ kind: "reclaim-space", journalMaxB: options.journalMaxB, logFiles: [...target.spec.logs], rotated }],
    "space can be reclaimed from the journal and rotated logs",
  );
};
