/** The `restart` action: restart a service and verify it came up; a failure carries the unit's last journal lines. */
import * as z from "zod";
import { defineAction, say } from "../action-definition.ts";
import { serviceNameSchema } from "../names.ts";
import { stateWords, verificationSchema, verifiedSentence } from "./service-words.ts";
import { quoted, seconds } from "./units.ts";

/** What a failed restart carries: the check and the unit's last journal lines. */
export const restartFailureSchema = z.object({
  service: z.string(),
  durationMs: z.number().nonnegative(),
  verified: verificationSchema,
  logs: z.array(z.string().max(2000)).max(50),
});

/** The `restart` definition. */
export const restart = defineAction({
  name: "restart",
  summary: {
    en: "restart a service and verify it came up",
    ru: "перезапустить сервис и проверить, что он поднялся",
  },
  noun: { en: "restart", ru: "перезапуск" },
  args: z.object({ service: serviceNameSchema }).strict(),
  output: z.object({
    vm: z.string(),
    service: z.string(),
    unit: z.string(),
    durationMs: z.number().nonnegative(),
    verified: verificationSchema,
  }),
  failureDetails: restartFailureSchema,
  risk: "change",
  confirm: false,
  timeoutMs: 120_000,
  llm: "propose",
  http: { method: "POST", path: "/agent/service/restart" },
  readBack: (a, w) => say(w.lang, `Перезапустить ${a.service} ${w.on}?`, `Restart ${a.service} ${w.on}?`),
  render: (out, { vm, lang }) =>
    say(
      lang,
      `✅ ${out.service} на ${vm} перезапущен за ${seconds(out.durationMs, "ru")}.`,
      `✅ ${out.service} on ${vm} restarted in ${seconds(out.durationMs, "en")}.`,
    ) + verifiedSentence(out.verified, lang),
  renderFailure: (f, { vm, lang }) => {
    const d = f.details;
    if (!d) return undefined;
    const why = d.verified.reason
      ? say(lang, ` (причина: «${d.verified.reason}»)`, ` (${d.verified.reason})`)
      : "";
    const head = say(
      lang,
      `❌ ${d.service} на ${vm} не поднялся после перезапуска: сервис ${stateWords(d.verified.state, "ru")}${why}, прошло ${seconds(d.durationMs, "ru")}.`,
      `❌ ${d.service} on ${vm} did not come up after the restart: it is ${stateWords(d.verified.state, "en")}${why} after ${seconds(d.durationMs, "en")}.`,
    );
    if (d.logs.length === 0)
      return `${head} ${say(lang, "Журнал юнита пуст; посмотрите «статус».", "Its journal is empty; check its status.")}`;
    const tail = d.logs.slice(-10);
    return [
      head,
      say(
        lang,
        `Последние строки его журнала (${tail.length}):`,
        `The last ${tail.length} lines of its journal:`,
      ),
      quoted(tail),
      say(
        lang,
        `Исправьте причину и перезапустите снова, или скажите «исправь ${d.service}».`,
        `Fix the cause and restart it again, or say “fix ${d.service}”.`,
      ),
    ].join("\n");
  },
});
