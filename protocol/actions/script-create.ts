/** The `script-create` action (issue 13: services and scripts voxops creates); the controller words its outcome with `edge/code/creation-texts.ts`, `render` here is the short form. */
import * as z from "zod";
import { defineAction, say } from "../action-definition.ts";
import { creationActionArgs } from "../creation-actions.ts";

/** The `script-create` definition. */
export const scriptCreate = defineAction({
  name: "script-create",
  summary: {
    en: "write a script from a confirmed proposal, check its syntax, and schedule it as a systemd timer when a schedule is given",
    ru: "записать скрипт по подтверждённому предложению, проверить синтаксис и поставить таймер systemd, если задано расписание",
  },
  noun: { en: "new script", ru: "новый скрипт" },
  args: creationActionArgs["script-create"],
  output: z.record(z.string(), z.unknown()),
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
  render: (_out, { vm, lang }) => say(lang, `✅ ${vm}: скрипт записан.`, `✅ ${vm}: the script is written.`),
});
