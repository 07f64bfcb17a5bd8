/** The `created-list` action (issue 13: services and scripts voxops creates); the controller words its outcome with `edge/code/creation-texts.ts`, `render` here is the short form. */
import * as z from "zod";
import { defineAction, say } from "../action-definition.ts";
import { creationActionArgs } from "../creation-actions.ts";

/** The `created-list` definition. */
export const createdList = defineAction({
  name: "created-list",
  summary: {
    en: "list the services, scripts and timers voxops created on a VM",
    ru: "показать сервисы, скрипты и таймеры, которые voxops создал на VM",
  },
  noun: { en: "list of what voxops created", ru: "список созданного voxops" },
  args: creationActionArgs["created-list"],
  output: z.record(z.string(), z.unknown()),
  risk: "read",
  confirm: false,
  llm: "never",
  http: null,
  readBack: (_a, w) =>
    say(w.lang, `Показать, что voxops создал ${w.on}?`, `List what voxops created ${w.on}?`),
  render: (_out, { vm, lang }) =>
    say(lang, `📋 ${vm}: список созданного получен.`, `📋 ${vm}: the list of what voxops created is here.`),
});
