/**
 * The `fix` action: diagnose a service and repair it with the known rules. The controller words each
 * service's outcome with the auto-fix texts (`edge/core/fix-text.ts`); `render` here is the short form.
 */
import * as z from "zod";
import { defineAction, say } from "../action-definition.ts";
import { serviceNameSchema } from "../names.ts";

/** One service's outcome of `fix` (finding, plan and report as the fix events carry them). */
export const fixResultSchema = z.object({
  service: z.string(),
  outcome: z.enum(["repaired", "failed", "reported", "nothing-to-fix"]),
  finding: z.record(z.string(), z.unknown()).nullable(),
  plan: z.record(z.string(), z.unknown()).nullable(),
  report: z.record(z.string(), z.unknown()).nullable(),
});

const outcomeWords = {
  repaired: ["исправлен", "repaired"],
  failed: ["исправить не удалось", "the repair did not hold"],
  reported: [
    "найдена проблема, которую voxops не исправляет сам",
    "a problem voxops does not repair on its own",
  ],
  "nothing-to-fix": ["ошибок нет, исправлять нечего", "no errors, nothing to fix"],
} as const;

/** The `fix` definition. */
export const fix = defineAction({
  name: "fix",
  summary: {
    en: "diagnose and repair a service with the known fixes",
    ru: "найти причину сбоя сервиса и исправить известными способами",
  },
  noun: { en: "fix", ru: "исправление" },
  args: z.object({ service: serviceNameSchema.optional(), rule: z.string().max(64).optional() }).strict(),
  output: z.object({ vm: z.string(), results: z.array(fixResultSchema), ok: z.boolean() }),
  failureDetails: fixResultSchema,
  risk: "change",
  confirm: true,
  timeoutMs: 600_000,
  llm: "propose",
  http: { method: "POST", path: "/agent/fix" },
  readBack: (a, w) =>
    a.service
      ? say(w.lang, `Починить ${a.service} ${w.on}?`, `Fix ${a.service} ${w.on}?`)
      : say(w.lang, `Искать и исправлять сбои ${w.on}?`, `Find and fix failures ${w.on}?`),
  render: (out, { vm, lang }) =>
    out.results.length === 0
      ? say(lang, `${vm}: на этой VM нет сервисов для проверки.`, `${vm}: this VM has no services to check.`)
      : out.results
          .map((r) => {
            const [ru, en] = outcomeWords[r.outcome];
            return say(lang, `🔧 ${r.service} на ${vm}: ${ru}.`, `🔧 ${r.service} on ${vm}: ${en}.`);
          })
          .join("\n"),
});
