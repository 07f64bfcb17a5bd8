/** What the operator reads about code changes: the proposal, the apply outcome, refusals — whole sentences, RU/EN. */

import type { ChangedFile } from "../../protocol/code-actions.ts";
import type { CommandOutcome } from "../core/controller.ts";
import type { Lang } from "../core/desk.ts";
import type { Proposal } from "./proposal.ts";

const t = (lang: Lang, ru: string, en: string): string => (lang === "ru" ? ru : en);

/** Diff lines shown inside the message; the rest goes in the attached .diff file. */
export const SHORT_DIFF_LINES = 40;

/** The first lines of a diff and whether it was cut. */
export function shortDiff(diff: string, lines = SHORT_DIFF_LINES): { text: string; cut: boolean } {
  const all = diff.split("\n").filter((l) => !l.startsWith("====="));
  return { text: all.slice(0, lines).join("\n"), cut: all.length > lines };
}

/** The files of a change as the operator reads them: "a.js", "old.js → new.js", "b.js (deleted)", "c.js (new)". */
export function fileList(files: readonly ChangedFile[], lang: Lang): string {
  const sources = new Set(files.flatMap((f) => (f.renamedFrom ? [f.renamedFrom] : [])));
  return files
    .filter((f) => !sources.has(f.path))
    .map((f) =>
      f.renamedFrom
        ? `${f.renamedFrom} → ${f.path}`
        : f.content === null
          ? t(lang, `${f.path} (удалён)`, `${f.path} (deleted)`)
          : f.baseSha256 === null
            ? t(lang, `${f.path} (новый)`, `${f.path} (new)`)
            : f.path,
    )
    .join(", ");
}

/** The read-back of a proposal: what it does, where, and how big. */
export function proposalReadBack(p: Proposal, lang: Lang): string {
  const files = fileList(p.files, lang);
  return t(
    lang,
    `Изменение ${p.service} на ${p.vm}: ${p.summary}\nФайлы: ${files} (+${p.added} −${p.removed} строк). Применить? Перед записью будет снимок, после — проверки, перезапуск и откат при любой ошибке.`,
    `Change to ${p.service} on ${p.vm}: ${p.summary}\nFiles: ${files} (+${p.added} −${p.removed} lines). Apply it? A snapshot is taken first; then checks, a restart, and a rollback on any failure.`,
  );
}

const obj = (v: unknown): Record<string, unknown> =>
  typeof v === "object" && v !== null ? (v as Record<string, unknown>) : {};
const checksLine = (checks: unknown, lang: Lang): string => {
  const list = Array.isArray(checks) ? checks.map(obj) : [];
  if (list.length === 0) return t(lang, "Проверок нет.", "No checks are declared.");
  const passed = list.filter((c) => c["ok"] === true).map((c) => String(c["name"]));
  return t(lang, `Проверки пройдены: ${passed.join("; ")}.`, `Checks passed: ${passed.join("; ")}.`);
};

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
    checksLine(out["checks"], lang),
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
