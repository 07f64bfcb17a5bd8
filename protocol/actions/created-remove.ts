/** The `created-remove` action (issue 13: services and scripts voxops creates); the controller words its outcome with `edge/code/creation-texts.ts`, `render` here is the short form. */
import * as z from "zod";
import { defineAction, say } from "../action-definition.ts";
import { creationActionArgs, creationActionSpecs } from "../creation-actions.ts";

const spec = creationActionSpecs["created-remove"];

/** The `created-remove` definition. */
export const createdRemove = defineAction({
  name: "created-remove",
  summary: {
    en: spec.summary,
    ru: "удалить сервис или скрипт, созданный voxops: остановить его, юнит, таймер и файлы",
  },
  noun: { en: "removal", ru: "удаление" },
  args: creationActionArgs["created-remove"],
  output: z.record(z.string(), z.unknown()),
  risk: spec.risk,
  confirm: spec.confirm,
  llm: "never",
  http: null,
  readBack: (a, w) =>
    say(
      w.lang,
      `Удалить ${a.name} ${w.on}: остановить, убрать юнит, таймер и файлы?`,
      `Remove ${a.name} ${w.on}: stop it and delete its unit, timer and files?`,
    ),
  render: (_out, { vm, lang }) => say(lang, `✅ ${vm}: удалено.`, `✅ ${vm}: removed.`),
});
