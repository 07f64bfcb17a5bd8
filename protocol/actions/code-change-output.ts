/** What `code-apply` and `code-revert` return when a change went through the apply pipeline, and how the operator reads it. */
import * as z from "zod";
import { type RenderContext, say } from "../action-definition.ts";
import { backupNoteSchema, backupSentence, checkResultSchema, checksSentence } from "./change-outputs.ts";
import { verificationSchema } from "./service-words.ts";

/** An applied change: the files, the checks, the restart's verification, the commit and the backup. */
export const codeChangeOutputSchema = z.object({
  vm: z.string(),
  service: z.string(),
  files: z.array(z.string()),
  deleted: z.array(z.string()),
  renamed: z.array(z.object({ from: z.string(), to: z.string() })),
  diffSha256: z.string(),
  /** Where the previous bytes are kept on the VM. */
  snapshot: z.string(),
  applied: z.literal(true),
  checks: z.array(checkResultSchema),
  /** The user the writes, checks and commit ran as. */
  ranAs: z.string(),
  verified: verificationSchema,
  /** The new endpoint the change asked to be checked, and the status it answered. */
  endpoint: z.object({ path: z.string(), status: z.number().nullable() }).nullable(),
  /** The commit in the service's repository, or null when its source is not a git checkout. */
  commit: z.string().nullable(),
  backup: backupNoteSchema,
  durationMs: z.number().nonnegative(),
  steps: z.array(z.object({ step: z.string(), ms: z.number() })).readonly(),
});

/** An applied code change. */
export type CodeChangeOutput = z.output<typeof codeChangeOutputSchema>;

/** The outcome of an applied change or revert: what changed, the checks, the restart, the commit and the backup. */
export function codeChangeText(out: CodeChangeOutput, { vm, lang }: RenderContext, revert: boolean): string {
  const files = out.files.join(", ");
  const renamed = out.renamed.map((r) => `${r.from} → ${r.to}`);
  const secs = Math.round(out.durationMs / 100) / 10;
  return [
    say(
      lang,
      `✅ ${revert ? "Откат применён" : "Изменение применено"}: ${out.service} на ${vm} (${files}), ${secs} с.`,
      `✅ ${revert ? "Revert applied" : "Change applied"}: ${out.service} on ${vm} (${files}), ${secs} s.`,
    ),
    ...(out.deleted.length > 0
      ? [say(lang, `Удалены: ${out.deleted.join(", ")}.`, `Deleted: ${out.deleted.join(", ")}.`)]
      : []),
    ...(renamed.length > 0
      ? [say(lang, `Переименованы: ${renamed.join(", ")}.`, `Renamed: ${renamed.join(", ")}.`)]
      : []),
    checksSentence(out.checks, lang, say(lang, "Проверок нет.", "No checks are declared.")),
    say(
      lang,
      "Сервис перезапущен, активен, проверка здоровья прошла.",
      "The service restarted, is active and passed its health check.",
    ),
    ...(out.endpoint?.path
      ? [
          say(
            lang,
            `Новый адрес ${out.endpoint.path} отвечает ${out.endpoint.status ?? "без кода"}.`,
            `The new endpoint ${out.endpoint.path} answers ${out.endpoint.status ?? "with no status"}.`,
          ),
        ]
      : []),
    out.commit
      ? say(lang, `Коммит ${out.commit.slice(0, 12)}.`, `Committed as ${out.commit.slice(0, 12)}.`)
      : say(
          lang,
          "Исходники не в git: коммита нет, снимок сохранён.",
          "The source is not a git checkout: no commit; the snapshot is kept.",
        ),
    backupSentence(out.backup, lang),
  ].join("\n");
}
