/** The `service-create` action (issue 13: services and scripts voxops creates); the controller words its outcome with `edge/code/creation-texts.ts`, `render` here is the short form. */
import * as z from "zod";
import { defineAction, say } from "../action-definition.ts";
import { creationActionArgs } from "../creation-actions.ts";

/** The `service-create` definition. */
export const serviceCreate = defineAction({
  name: "service-create",
  summary: {
    en: "create a new service from a confirmed proposal: its code, a hardened unit from the template, enabled, started, health-checked; removed again on any failure",
    ru: "создать новый сервис по подтверждённому предложению: код, защищённый юнит по шаблону, включён, запущен, проверен; при любом сбое удаляется",
  },
  noun: { en: "new service", ru: "новый сервис" },
  args: creationActionArgs["service-create"],
  output: z.record(z.string(), z.unknown()),
  risk: "change",
  confirm: true,
  timeoutMs: 300_000,
  llm: "never",
  http: null,
  // Not an MCP tool: asked for in words through the ask tool, which confirms it with the code desk.
  mcp: "internal",
  readBack: (a, w) =>
    say(
      w.lang,
      `Создать сервис ${a.name} на порту ${a.port} ${w.on} (файлов: ${a.files.length})?`,
      `Create the service ${a.name} on port ${a.port} ${w.on} (${a.files.length} files)?`,
    ),
  render: (_out, { vm, lang }) =>
    say(lang, `✅ ${vm}: новый сервис создан.`, `✅ ${vm}: the new service is created.`),
});
