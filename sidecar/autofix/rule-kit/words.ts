/**
 * Every sentence auto-fix sends towards the operator exists in both of the operator's languages: a
 * planner's reason, question and proposal, a failed step, a verification that did not hold. They travel
 * as English and Russian side by side (`reason` + `reasonRu`, `ask` + `askRu`, …) and the edge picks one.
 * Each planner keeps its sentences in one word book, so a test can render every outcome in both.
 */

/** One sentence in English and Russian. */
export interface Words {
  readonly en: string;
  readonly ru: string;
}

/** A sentence with its blanks; the parameters are the facts it names (port, path, …). */
export type Phrase<P = never> = (p: P) => Words;

/** All the sentences one part of auto-fix can produce, by name. */
export type WordBook = Readonly<Record<string, Phrase<never>>>;

/** The words shared by the planner, the engine and the repair run (not tied to one rule). */
export const commonWords = {
  noRepair: () => ({
    en: "no known repair applies to this error",
    ru: "ни одно известное исправление к этой ошибке не подходит",
  }),
  cannotPlan: (p: { error: string }) => ({
    en: `the repair could not be planned: ${p.error}`,
    ru: `исправление не удалось спланировать: «${p.error}»`,
  }),
  repairFailed: () => ({ en: "the repair failed", ru: "исправление не удалось" }),
  repairBroke: (p: { error: string }) => ({
    en: `the repair stopped with an error: ${p.error}`,
    ru: `исправление прервалось с ошибкой: «${p.error}»`,
  }),
  notApproved: (p: { service: string; seconds: number }) => ({
    en: `no approval for the repair of ${p.service} came within ${p.seconds} s; nothing was changed`,
    ru: `исправление ${p.service} никто не одобрил за ${p.seconds} с; ничего не менял`,
  }),
  breakerStopped: (p: { service: string; failures: number }) => ({
    en: `auto-repair of ${p.service} is stopped after ${p.failures} failed repairs in a row; a human must look`,
    ru: `автоисправление ${p.service} остановлено после ${p.failures} неудачных попыток подряд; нужен человек`,
  }),
  hourLimit: (p: { service: string; repairs: number; until: string }) => ({
    en: `${p.service} was repaired ${p.repairs} times within the hour for this error; auto-repair waits until ${p.until}`,
    ru: `${p.service} исправлялся из-за этой ошибки ${p.repairs} раз за час; автоисправление ждёт до ${p.until}`,
  }),
} satisfies WordBook;

/** Each repair step as it reads inside a failure reason. */
export const stepWords = {
  "install-deps": () => ({ en: "installing the dependencies", ru: "установка зависимостей" }),
  "stop-stale-process": () => ({ en: "stopping the stale copy", ru: "остановка зависшего экземпляра" }),
  "restore-file": () => ({ en: "restoring the file from the backup", ru: "восстановление файла из бэкапа" }),
  "reclaim-space": () => ({ en: "reclaiming disk space", ru: "освобождение места на диске" }),
  restart: () => ({ en: "the restart", ru: "перезапуск" }),
} satisfies WordBook;

/** Why a repair did not hold, from the repair run and its verification. */
export const verifyWords = {
  stepFailed: (p: { step: Words; why: string }) => ({
    en: `${p.step.en} failed: ${p.why}`,
    ru: `${p.step.ru}: не удалось («${p.why}»)`,
  }),
  stepExit: (p: { step: Words; exit: string }) => ({
    en: `${p.step.en} failed: exit ${p.exit}`,
    ru: `${p.step.ru}: не удалось, код выхода ${p.exit}`,
  }),
  /** `health`: "" when there is no health check or it passed, "silent" when it did not answer, else the HTTP status. */
  restartUnhealthy: (p: { state: string; health: string }) => {
    const en = p.health === "silent" ? "did not answer" : `answered ${p.health}`;
    const ru = p.health === "silent" ? "не ответила" : `ответила ${p.health}`;
    return {
      en: `the restart did not bring it back: the unit is ${p.state}${p.health ? `, its health check ${en}` : ""}`,
      ru: `перезапуск не вернул его: юнит в состоянии ${p.state}${p.health ? `, проверка здоровья ${ru}` : ""}`,
    };
  },
  errorBack: (p: { seconds: number }) => ({
    en: `the error came back within ${p.seconds} s`,
    ru: `ошибка вернулась в течение ${p.seconds} с`,
  }),
  notActive: (p: { state: string }) => ({
    en: `the unit is ${p.state} after the quiet window`,
    ru: `после окна проверки юнит в состоянии ${p.state}`,
  }),
} satisfies WordBook;
