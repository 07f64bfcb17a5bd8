/** What the operator reads about code changes: the proposal, the apply outcome, refusals — whole sentences, RU/EN. */
import type { ChangedFile } from "../../protocol/code-actions.ts";
import type { Lang } from "../core/desk.ts";
import { t } from "../core/text.ts";
import type { Proposal } from "./proposal.ts";

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
