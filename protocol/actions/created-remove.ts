/** The `created-remove` action (issue 13: services and scripts voxops creates): stop a created service or script and delete its unit, timer and files. */
import * as z from "zod";
import { defineAction, say } from "../action-definition.ts";
import { creationActionArgs } from "../creation-actions.ts";

/** What was removed: its name and kind, its unit and timer, and its files. */
export const createdRemoveOutputSchema = z.object({
  vm: z.string(),
  removed: z.string(),
  kind: z.enum(["service", "script"]),
  unit: z.string(),
  timer: z.string().nullable(),
  path: z.string(),
});

/** The `created-remove` definition. */
export const createdRemove = defineAction({
  name: "created-remove",
  summary: {
    en: "remove a service or script voxops created: stop it, its unit and timer, and its files",
    ru: "удалить сервис или скрипт, созданный voxops: остановить его, юнит, таймер и файлы",
  },
  noun: { en: "removal", ru: "удаление" },
  args: creationActionArgs["created-remove"],
  output: createdRemoveOutputSchema,
  risk: "change",
  confirm: true,
  llm: "never",
  http: null,
  // Not an MCP tool: asked for in words through the ask tool, which confirms it with the code desk.
  mcp: "internal",
  readBack: (a, w) =>
    say(
      w.lang,
      `Удалить ${a.name} ${w.on}: остановить, убрать юнит, таймер и файлы?`,
      `Remove ${a.name} ${w.on}: stop it and delete its unit, timer and files?`,
    ),
  render: (out, { vm, lang }) =>
    say(
      lang,
      `🗑 ${out.removed} удалён с ${vm}: остановлен, юнит${out.timer ? " и таймер" : ""} и файлы (${out.path}) удалены.`,
      `🗑 ${out.removed} removed from ${vm}: stopped, its unit${out.timer ? " and timer" : ""} and files (${out.path}) deleted.`,
    ),
});
