/**
 * What the operator reads after code-apply or code-revert ran: what changed, the checks, the restart,
 * the commit and the backup — whole sentences, RU/EN. In core because every reply renders it.
 */
import type { CommandOutcome } from "./controller.ts";
import type { Lang } from "./desk.ts";
import { t } from "./text.ts";
import { checksLine, obj } from "./text-values.ts";

/** The text for the outcome of code-apply or code-revert. */
export function codeOutcomeText(o: CommandOutcome, lang: Lang): string {
  const revert = o.action === "code-revert";
  if (!o.ok)
    return `❌ ${o.error?.message ?? t(lang, "Изменение не применено.", "The change was not applied.")}`;
  const out = obj(o.output);
  const files = Array.isArray(out["files"]) ? out["files"].map(String).join(", ") : "";
  const deleted = Array.isArray(out["deleted"]) ? out["deleted"].map(String) : [];
  const renamed = Array.isArray(out["renamed"])
    ? out["renamed"].map(obj).map((r) => `${String(r["from"])} → ${String(r["to"])}`)
    : [];
  const ep = obj(out["endpoint"]);
  const backup = obj(out["backup"]);
  const commit = typeof out["commit"] === "string" ? out["commit"].slice(0, 12) : null;
  const secs = Math.round(Number(out["durationMs"] ?? 0) / 100) / 10;
  return [
    t(
      lang,
      `✅ ${revert ? "Откат применён" : "Изменение применено"}: ${String(out["service"])} на ${o.vm} (${files}), ${secs} с.`,
      `✅ ${revert ? "Revert applied" : "Change applied"}: ${String(out["service"])} on ${o.vm} (${files}), ${secs} s.`,
    ),
    ...(deleted.length > 0
      ? [t(lang, `Удалены: ${deleted.join(", ")}.`, `Deleted: ${deleted.join(", ")}.`)]
      : []),
    ...(renamed.length > 0
      ? [t(lang, `Переименованы: ${renamed.join(", ")}.`, `Renamed: ${renamed.join(", ")}.`)]
      : []),
    checksLine(out["checks"], lang, t(lang, "Проверок нет.", "No checks are declared.")),
    t(
      lang,
      "Сервис перезапущен, активен, проверка здоровья прошла.",
      "The service restarted, is active and passed its health check.",
    ),
    ...(ep["path"]
      ? [
          t(
            lang,
            `Новый адрес ${String(ep["path"])} отвечает ${String(ep["status"])}.`,
            `The new endpoint ${String(ep["path"])} answers ${String(ep["status"])}.`,
          ),
        ]
      : []),
    commit
      ? t(lang, `Коммит ${commit}.`, `Committed as ${commit}.`)
      : t(
          lang,
          "Исходники не в git: коммита нет, снимок сохранён.",
          "The source is not a git checkout: no commit; the snapshot is kept.",
        ),
    backup["ok"] === true
      ? t(lang, "Бэкап отправлен.", "The backup was pushed.")
      : t(
          lang,
          `Бэкап не сделан: ${String(backup["error"] ?? "")}.`,
          `No backup: ${String(backup["error"] ?? "")}.`,
        ),
  ].join("\n");
}
