/** The `deploy` action: fast-forward a service's checkout, build, restart, roll back on failure. */
import * as z from "zod";
import { defineAction, say } from "../action-definition.ts";
import { gitRefSchema, serviceNameSchema } from "../names.ts";
import { verificationSchema, verifiedSentence } from "./service-words.ts";
import { seconds } from "./units.ts";

/** The `deploy` definition. */
export const deploy = defineAction({
  name: "deploy",
  summary: {
    en: "fast-forward a service's checkout, build, restart, roll back on failure",
    ru: "обновить код сервиса, собрать, перезапустить, откатить при сбое",
  },
  noun: { en: "deploy", ru: "деплой" },
  args: z.object({ service: serviceNameSchema, ref: gitRefSchema.optional() }).strict(),
  output: z.object({
    service: z.string(),
    previous: z.string(),
    target: z.string(),
    changed: z.boolean(),
    durationMs: z.number().optional(),
    verified: verificationSchema.nullable().optional(),
  }),
  risk: "change",
  confirm: true,
  timeoutMs: 900_000,
  llm: "propose",
  http: { method: "POST", path: "/agent/code/deploy" },
  readBack: (a, w) =>
    say(
      w.lang,
      `Выкатить ${a.service}${a.ref ? ` (${a.ref})` : ""} ${w.on}?`,
      `Deploy ${a.service}${a.ref ? ` at ${a.ref}` : ""} ${w.on}?`,
    ),
  render: (out, { vm, lang }) => {
    const from = out.previous.slice(0, 8);
    const to = out.target.slice(0, 8);
    if (!out.changed)
      return say(
        lang,
        `🚀 ${out.service} на ${vm} уже на коммите ${to}: деплоить нечего.`,
        `🚀 ${out.service} on ${vm} is already at commit ${to}: nothing to deploy.`,
      );
    const took =
      out.durationMs === undefined
        ? ""
        : say(lang, ` за ${seconds(out.durationMs, "ru")}`, ` in ${seconds(out.durationMs, "en")}`);
    return (
      say(
        lang,
        `🚀 ${out.service} на ${vm} обновлён с коммита ${from} на ${to}${took}.`,
        `🚀 ${out.service} on ${vm} moved from commit ${from} to ${to}${took}.`,
      ) + verifiedSentence(out.verified, lang)
    );
  },
});
