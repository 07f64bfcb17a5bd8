/** What the operator reads about code changes: the proposal, the apply outcome, refusals — whole sentences, RU/EN. */
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

/** The read-back of a proposal: what it does, where, and how big. */
export function proposalReadBack(p: Proposal, lang: Lang): string {
  const files = p.files.map((f) => f.path).join(", ");
  return t(
    lang,
    `Изменение ${p.service} на ${p.vm}: ${p.summary}\nФайлы: ${files} (+${p.added} −${p.removed} строк). Применить? Перед записью будет снимок, после — проверки, перезапуск и откат при любой ошибке.`,
    `Change to ${p.service} on ${p.vm}: ${p.summary}\nFiles: ${files} (+${p.added} −${p.removed} lines). Apply it? A snapshot is taken first; then checks, a restart, and a rollback on any failure.`,
  );
}

export { codeOutcomeText } from "../core/code-outcome-text.ts";
