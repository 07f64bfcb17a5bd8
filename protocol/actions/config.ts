/** The `config` action: change a service's config file, validated, applied, verified, with rollback. */
import * as z from "zod";
import { defineAction, say } from "../action-definition.ts";
import { relativePathSchema, serviceNameSchema } from "../names.ts";
import { verificationSchema, verifiedSentence } from "./service-words.ts";

/** The `config` definition. */
export const config = defineAction({
  name: "config",
  summary: {
    en: "change a config file, validated, with rollback",
    ru: "изменить конфиг с проверкой и откатом",
  },
  noun: { en: "config change", ru: "изменение конфига" },
  args: z
    .object({
      service: serviceNameSchema,
      file: relativePathSchema.optional(),
      content: z.string().max(256_000).optional(),
      patch: z
        .array(z.object({ find: z.string().min(1).max(4000), replace: z.string().max(4000) }).strict())
        .max(50)
        .optional(),
    })
    .strict(),
  output: z.object({
    file: z.string(),
    changed: z.boolean(),
    applied: z.string().optional(),
    verified: verificationSchema.nullable().optional(),
    previousKept: z.string().nullable().optional(),
  }),
  risk: "change",
  confirm: true,
  timeoutMs: 300_000,
  llm: "propose",
  http: { method: "POST", path: "/agent/config" },
  readBack: (a, w) =>
    say(
      w.lang,
      `Изменить конфигурацию ${a.service}${a.file ? ` (${a.file})` : ""} ${w.on}?`,
      `Change the ${a.service} config${a.file ? ` (${a.file})` : ""} ${w.on}?`,
    ),
  render: (out, { vm, lang }) => {
    if (!out.changed)
      return say(
        lang,
        `📝 ${vm}: ${out.file} уже такой, ничего не менял.`,
        `📝 ${vm}: ${out.file} already says that; nothing changed.`,
      );
    const how =
      out.applied === "reload"
        ? say(lang, "сервис перечитал его", "the service reloaded it")
        : out.applied === "restart"
          ? say(lang, "сервис перезапущен", "the service was restarted")
          : say(lang, "к сервису не применялся", "it was not applied to the service");
    const kept = out.previousKept
      ? say(
          lang,
          ` Прежняя версия сохранена в ${out.previousKept}.`,
          ` The previous version is kept as ${out.previousKept}.`,
        )
      : "";
    return (
      say(lang, `📝 ${vm}: ${out.file} обновлён, ${how}.`, `📝 ${vm}: ${out.file} is updated; ${how}.`) +
      verifiedSentence(out.verified, lang) +
      kept
    );
  },
});
