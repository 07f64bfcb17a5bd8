/** The `logs` action: the last lines of a service's journal. */
import * as z from "zod";
import { defineAction, say } from "../action-definition.ts";
import { serviceNameSchema } from "../names.ts";
import { quoted } from "./units.ts";

/** The `logs` definition. */
export const logs = defineAction({
  name: "logs",
  summary: { en: "the last lines of a service's journal", ru: "последние строки журнала сервиса" },
  noun: { en: "reading the logs", ru: "чтение логов" },
  args: z
    .object({ service: serviceNameSchema, lines: z.number().int().min(1).max(1000).default(50) })
    .strict(),
  output: z.object({
    vm: z.string(),
    service: z.string(),
    unit: z.string().optional(),
    lines: z.array(z.string()),
    truncated: z.boolean().default(false),
  }),
  risk: "read",
  confirm: false,
  llm: "run",
  http: { method: "GET", path: "/agent/logs/:service" },
  readBack: (a, w) =>
    say(
      w.lang,
      `Показать ${a.lines} строк журнала ${a.service} ${w.on}?`,
      `Show ${a.lines} journal lines of ${a.service} ${w.on}?`,
    ),
  render: (out, { vm, lang }) => {
    if (out.lines.length === 0)
      return say(
        lang,
        `📜 ${vm}: в журнале ${out.service} нет ни одной строки (сервис ещё ничего не писал или журнал очищен).`,
        `📜 ${vm}: the journal has no lines for ${out.service} (the service has written nothing yet, or the journal was cleared).`,
      );
    const head = say(
      lang,
      `📜 ${vm}, журнал ${out.service}: последние строки (${out.lines.length})${out.truncated ? ", более ранние не поместились" : ""}.`,
      `📜 ${vm}, the journal of ${out.service}: its last ${out.lines.length} lines${out.truncated ? " (older lines did not fit)" : ""}.`,
    );
    return `${head}\n${quoted(out.lines)}`;
  },
});
