/** The `errors` action: failed units and the error lines of the last hour, stack traces folded, grouped and counted. */
import type { Adapters } from "../adapters/index.ts";
import type { JournalEntry } from "../adapters/journal-entry.ts";
import { readFindings } from "../autofix/findings-log.ts";
import { looksLikeError } from "../autofix/match.ts";
import { groupErrors } from "../services/error-groups.ts";
import type { ActionHandler } from "../services/handler.ts";
import { foldStacks } from "../services/stack-traces.ts";
import { resolveService, thisVm, unitOf } from "../services/targets.ts";

/** Most journal entries read for one answer. */
const MAX_ENTRIES = 5000;

/** Creates the handler: err-priority lines from the journal, plus error-looking lines of watched services. */
export function createErrors(adapters: Adapters): ActionHandler<"errors"> {
  return async (args, ctx) => {
    const minutes = typeof args["sinceMinutes"] === "number" ? args["sinceMinutes"] : 60;
    const sinceMs = ctx.now() - minutes * 60_000;
    const watched =
      args["service"] === undefined
        ? thisVm(ctx).services.map((s) => unitOf(s))
        : [resolveService(ctx, args["service"]).unit];
    const scope = args["service"] === undefined ? {} : { units: watched };
    const [failed, severe, watchedLines] = await Promise.all([
      adapters.systemd.failedUnits(),
      adapters.journal.entries({ ...scope, sinceMs, priority: 3, lines: MAX_ENTRIES }),
      watched.length > 0
        ? adapters.journal.entries({ units: watched, sinceMs, lines: MAX_ENTRIES })
        : Promise.resolve([] as JournalEntry[]),
    ]);
    const seen = new Set<string>();
    const lines: JournalEntry[] = [];
    // A traceback counts once, under its exception line; the watched units' lines are read whole
    // (stderr arrives at info priority) and folded before the error-looking ones are kept.
    for (const e of [...foldStacks(severe), ...foldStacks(watchedLines).filter((e) => looksLikeError(e))]) {
      const key = `${e.at}\0${e.pid}\0${e.message}`;
      if (!seen.has(key)) {
        seen.add(key);
        lines.push(e);
      }
    }
    const { groups, total } = groupErrors(lines);
    const failedUnits = args["service"] === undefined ? failed : failed.filter((u) => watched.includes(u));
    // The auto-fix findings of the same window, so the answer and the alerts tell one story.
    const findings = (
      await readFindings(
        adapters.stateDir,
        sinceMs,
        args["service"] === undefined ? undefined : resolveService(ctx, args["service"]).spec.name,
      )
    )
      .slice(0, 20)
      .map((f) => ({
        id: f.finding.id,
        service: f.finding.service,
        rule: f.finding.rule,
        meaning: f.finding.meaning,
        at: new Date(f.finding.at).toISOString(),
        line: f.finding.line,
        outcome: f.outcome,
        summary: f.summary,
      }));
    return {
      vm: ctx.vm,
      since: new Date(sinceMs).toISOString(),
      failedUnits,
      errorLines: total,
      groups,
      findings,
      clean: failedUnits.length === 0 && total === 0,
    };
  };
}
