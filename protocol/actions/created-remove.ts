/** The `created-remove` action (issue 13: services and scripts voxops creates); the controller words its outcome with `edge/code/creation-texts.ts`, `render` here is the short form. */
import * as z from "zod";
import { defineAction, say } from "../action-definition.ts";
import { creationActionArgs } from "../creation-actions.ts";

/** The `created-remove` definition. */
export const createdRemove = defineAction({
  name: "created-remove",
  summary: {
    en: "remove a service or script voxops created: stop it, its unit and timer, and its files",
    ru: "удалить сервис или скрипт, созданный voxops: остановить его, юнит, таймер и файлы",
  },
  noun: { en: "removal", ru: "удаление" },
  args: creationActionArgs["created-remove"],
  output: z.record(z.string(), z.unknown()),
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
  render: (_out, { vm, lang }) => say(lang, `✅ ${vm}: удалено.`, `✅ ${vm}: removed.`),
});
