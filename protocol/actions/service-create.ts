/** The `service-create` action (issue 13: services and scripts voxops creates): a new service, checked, started and verified. */
import * as z from "zod";
import { defineAction, say } from "../action-definition.ts";
import { creationActionArgs } from "../creation-actions.ts";
import { backupNoteSchema, backupSentence, checkResultSchema, checksSentence } from "./change-outputs.ts";
import { verificationSchema } from "./service-words.ts";

/** A created service: where it lives, its unit and port, the checks, its verification and the backup. */
export const serviceCreateOutputSchema = z.object({
  vm: z.string(),
  name: z.string(),
  unit: z.string(),
  port: z.number().int(),
  /** The service's directory on the VM. */
  dir: z.string(),
  files: z.array(z.string()),
  checks: z.array(checkResultSchema),
  verified: verificationSchema,
  backup: backupNoteSchema,
  durationMs: z.number().nonnegative(),
});

/** The `service-create` definition. */
export const serviceCreate = defineAction({
  name: "service-create",
  summary: {
    en: "create a new service from a confirmed proposal: its code, a hardened unit from the template, enabled, started, health-checked; removed again on any failure",
    ru: "создать новый сервис по подтверждённому предложению: код, защищённый юнит по шаблону, включён, запущен, проверен; при любом сбое удаляется",
  },
  noun: { en: "new service", ru: "новый сервис" },
  args: creationActionArgs["service-create"],
  output: serviceCreateOutputSchema,
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
  render: (out, { vm, lang }) =>
    [
      say(
        lang,
        `✅ Сервис ${out.name} создан на ${vm}: ${out.dir}, юнит ${out.unit}, порт ${out.port}.`,
        `✅ Service ${out.name} created on ${vm}: ${out.dir}, unit ${out.unit}, port ${out.port}.`,
      ),
      checksSentence(out.checks, lang),
      say(
        lang,
        `Включён, запущен, активен и отвечает на порту ${out.port}. Теперь его можно называть по имени: «перезапусти ${out.name}».`,
        `Enabled, started, active and answering on port ${out.port}. You can now name it in commands: "restart ${out.name}".`,
      ),
      backupSentence(out.backup, lang),
    ]
      .filter(Boolean)
      .join("\n"),
});
