/** What changing actions report besides their own fields (the checks that ran, the backup after the change) and their words. */
import * as z from "zod";
import { type Lang, say } from "../action-definition.ts";

/** One check's result: its name, whether it passed, how long it took, and its last output when it failed. */
export const checkResultSchema = z.object({
  name: z.string(),
  ok: z.boolean(),
  ms: z.number().nonnegative(),
  output: z.string().optional(),
});

/** The backup pushed after a change: its commit, or why there is none (a failed backup does not undo the change). */
export const backupNoteSchema = z.union([
  z.object({
    ok: z.literal(true),
    commit: z.string().nullable(),
    changed: z.boolean(),
    skipped: z.number().int().nonnegative(),
  }),
  z.object({ ok: z.literal(false), skipped: z.literal(true).optional(), error: z.string() }),
]);

/** One check's result. */
export type CheckResult = z.output<typeof checkResultSchema>;

/** The backup pushed after a change. */
export type BackupNote = z.output<typeof backupNoteSchema>;

/** "Checks passed: a; b." for the checks that passed, or `none` when none did. */
export function checksSentence(checks: readonly CheckResult[], lang: Lang, none = ""): string {
  const passed = checks.filter((c) => c.ok).map((c) => c.name);
  return passed.length === 0
    ? none
    : say(lang, `Проверки пройдены: ${passed.join("; ")}.`, `Checks passed: ${passed.join("; ")}.`);
}

/** Whether the backup after a change was pushed, and why not. */
export function backupSentence(backup: BackupNote, lang: Lang): string {
  if (backup.ok) return say(lang, "Бэкап отправлен.", "The backup was pushed.");
  if (backup.skipped) return say(lang, "Репозиторий бэкапа не настроен.", "No backup repository is set up.");
  // The reason is the backup tool's own words (English), so a Russian sentence quotes it as evidence.
  return say(lang, `Бэкап не сделан, причина — «${backup.error}».`, `No backup: ${backup.error}.`);
}

/** A systemd timestamp ("Mon 2026-12-01 03:00:00 UTC") as it reads, or nothing when systemd has none. */
export function whenText(v: string | null | undefined): string {
  return !v || v === "0" || v === "n/a" ? "" : v;
}
