/** The `script-create` action (issue 13: services and scripts voxops creates): a checked script, scheduled as a systemd timer when asked. */
import * as z from "zod";
import { defineAction, say } from "../action-definition.ts";
import { creationActionArgs } from "../creation-actions.ts";
import {
  backupNoteSchema,
  backupSentence,
  checkResultSchema,
  checksSentence,
  whenText,
} from "./change-outputs.ts";

/** A written script: its file and unit, its timer and schedule (null: runs only when asked), the checks and the backup. */
export const scriptCreateOutputSchema = z.object({
  vm: z.string(),
  name: z.string(),
  path: z.string(),
  unit: z.string(),
  timer: z.string().nullable(),
  /** The timer's OnCalendar expression. */
  schedule: z.string().nullable(),
  /** systemd's next elapse of the timer, as it prints it. */
  nextElapse: z.string().nullable(),
  checks: z.array(checkResultSchema),
  backup: backupNoteSchema,
});

/** The `script-create` definition. */
export const scriptCreate = defineAction({
  name: "script-create",
  summary: {
    en: "write a script from a confirmed proposal, check its syntax, and schedule it as a systemd timer when a schedule is given",
    ru: "записать скрипт по подтверждённому предложению, проверить синтаксис и поставить таймер systemd, если задано расписание",
  },
  noun: { en: "new script", ru: "новый скрипт" },
  args: creationActionArgs["script-create"],
  output: scriptCreateOutputSchema,
  risk: "change",
  confirm: true,
  timeoutMs: 120_000,
  llm: "never",
  http: null,
  // Not an MCP tool: asked for in words through the ask tool, which confirms it with the code desk.
  mcp: "internal",
  readBack: (a, w) =>
    say(
      w.lang,
      `Записать скрипт ${a.name} ${w.on}${a.schedule ? ` и запускать его по расписанию ${a.schedule}` : ""}?`,
      `Write the script ${a.name} ${w.on}${a.schedule ? ` and run it on the schedule ${a.schedule}` : ""}?`,
    ),
  render: (out, { vm, lang }) => {
    const next = whenText(out.nextElapse);
    return [
      say(
        lang,
        `✅ Скрипт ${out.name} записан на ${vm}: ${out.path}.`,
        `✅ Script ${out.name} written on ${vm}: ${out.path}.`,
      ),
      checksSentence(out.checks, lang),
      out.timer
        ? say(
            lang,
            `Таймер ${out.timer} включён: OnCalendar=${out.schedule ?? ""}${next ? `, следующий запуск ${next}` : ""}.`,
            `Timer ${out.timer} is on: OnCalendar=${out.schedule ?? ""}${next ? `, next run ${next}` : ""}.`,
          )
        : say(
            lang,
            "Расписания нет: он запускается только по вашей команде.",
            "It has no schedule: it runs only when you ask.",
          ),
      backupSentence(out.backup, lang),
    ]
      .filter(Boolean)
      .join("\n");
  },
});
