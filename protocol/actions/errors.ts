/** The `errors` action: failed units and error lines of the journal, grouped by kind and counted. */
import * as z from "zod";
import { defineAction, say } from "../action-definition.ts";
import { serviceNameSchema } from "../names.ts";
import { shownText } from "../shown-text.ts";

/** The `errors` definition. */
export const errors = defineAction({
  name: "errors",
  summary: {
    en: "failed units and error lines, grouped and counted",
    ru: "упавшие юниты и ошибки в журнале, по группам",
  },
  noun: { en: "error search", ru: "поиск ошибок" },
  args: z
    .object({
      service: serviceNameSchema.optional(),
      sinceMinutes: z.number().int().min(1).max(1440).default(60),
    })
    .strict(),
  output: z.object({
    vm: z.string(),
    since: z.string(),
    failedUnits: z.array(z.string()),
    errorLines: z.number().int().nonnegative(),
    groups: z.array(
      z.object({
        unit: z.string(),
        pattern: z.string(),
        count: z.number().int(),
        sample: z.string().optional(),
      }),
    ),
    clean: z.boolean(),
  }),
  risk: "read",
  confirm: false,
  llm: "run",
  http: { method: "GET", path: "/agent/errors" },
  readBack: (a, w) =>
    say(
      w.lang,
      `Поискать ошибки${a.service ? ` ${a.service}` : ""} за ${a.sinceMinutes} мин ${w.on}?`,
      `Look for errors${a.service ? ` of ${a.service}` : ""} in the last ${a.sinceMinutes} minutes ${w.on}?`,
    ),
  render: (out, { vm, lang }) => {
    const minutes = Math.round((Date.now() - Date.parse(out.since)) / 60_000);
    const span = Number.isFinite(minutes) && minutes > 0 ? minutes : 60;
    if (out.clean)
      return say(
        lang,
        `✅ ${vm}: за последние ${span} мин ошибок нет, упавших юнитов нет.`,
        `✅ ${vm}: no errors and no failed units in the last ${span} minutes.`,
      );
    const failed = out.failedUnits.map((u) => shownText(u, 80)).join(", ");
    const lines = [
      say(
        lang,
        `⚠️ ${vm}: ошибок в журнале за последние ${span} мин: ${out.errorLines}${failed ? `; упали юниты ${failed}` : ""}.`,
        `⚠️ ${vm}: ${out.errorLines} error lines in the last ${span} minutes${failed ? `; failed units: ${failed}` : ""}.`,
      ),
    ];
    // Each group is one kind of error: a traceback counts under its exception line, with how often it came.
    for (const g of out.groups.slice(0, 6))
      lines.push(`  ×${g.count} ${shownText(g.unit, 60)}: ${shownText(g.sample ?? g.pattern, 200)}`);
    lines.push(
      say(
        lang,
        "Скажите «исправь <сервис>», чтобы попробовать известные исправления, или попросите логи.",
        "Say “fix <service>” to try the known repairs, or ask for its logs.",
      ),
    );
    return lines.join("\n");
  },
});
