/** Plans out-of-space: reclaim space from the journal and the service's rotated logs, never user data. */
import { findRotatedLogs } from "../../adapters/rotated-logs.ts";
import type { Planner } from "../rule-kit/plan.ts";
import type { WordBook } from "../rule-kit/words.ts";

/** Every sentence this planner can return. */
export const words = {
  reclaim: (p: { rotated: number }) => ({
    en: `space can be reclaimed from the journal and ${p.rotated} rotated log file(s)`,
    ru: `место можно освободить: журнал и старые логи (файлов: ${p.rotated})`,
  }),
} satisfies WordBook;

/** The planner. */
export const planOutOfSpace: Planner = async ({ target, options }, { repair }) => {
  const rotated = (await findRotatedLogs(target.spec.logs)).map((r) => r.path);
  return repair(
    [{ kind: "reclaim-space", journalMaxB: options.journalMaxB, logFiles: [...target.spec.logs], rotated }],
    words.reclaim({ rotated: rotated.length }),
  );
};
