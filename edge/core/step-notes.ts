/**
 * The steps a long action reports while it runs (the sidecar's `command.progress` events), as the
 * operator reads them in an edited status message, and the durations the API returns for them.
 */
import type { Lang } from "./desk.ts";

/** Who wants to hear about a running command: a note to show, and the raw step with the sidecar's time. */
export interface CommandProgress {
  readonly onNote?: (note: string) => void;
  readonly onStep?: (step: string, at: number) => void;
}

const notes: Readonly<Record<string, readonly [ru: string, en: string]>> = {
  "checking-files": ["Сверяю файлы изменения…", "Checking the change's files…"],
  snapshot: ["Делаю снимок…", "Taking a snapshot…"],
  writing: ["Записываю файлы…", "Writing the files…"],
  checks: ["Запускаю проверки…", "Running the checks…"],
  restarting: ["Перезапускаю сервис…", "Restarting the service…"],
  verifying: ["Проверяю, что сервис здоров…", "Verifying the service is healthy…"],
  "rolling-back": ["Откатываю изменение…", "Rolling the change back…"],
  committing: ["Делаю коммит…", "Committing…"],
  "backing-up": ["Отправляю бэкап…", "Pushing the backup…"],
};

/** Steps that end a command: they carry no note (the answer replaces the status message). */
export const FINAL_STEPS: ReadonlySet<string> = new Set(["done", "failed", "rolled-back"]);

/** The note for a step in the operator's language, or null for a final or unknown step. */
export function stepNote(step: string, lang: Lang): string | null {
  const n = notes[step];
  return n ? n[lang === "ru" ? 0 : 1] : null;
}

/** One step and how long it took. */
export interface StepDuration {
  readonly step: string;
  readonly ms: number;
}

/** Durations from the times steps began: each step lasts until the next one (a final step) began. */
export function stepDurations(marks: readonly { step: string; at: number }[]): StepDuration[] {
  const out: StepDuration[] = [];
  for (const [i, m] of marks.entries()) {
    const next = marks[i + 1];
    if (FINAL_STEPS.has(m.step) || !next) continue;
    out.push({ step: m.step, ms: Math.max(0, next.at - m.at) });
  }
  return out;
}
