/**
 * A requested reboot as the operator reads it, stage by stage: accepted, went down, came back (with
 * the time), or did not start / did not go down / did not come back (with why and what to do). One
 * renderer for the desk's first answer, the later messages to the asker, the API's status poll and
 * the rolling reboot of several VMs.
 */
import type { Lang } from "./desk.ts";

/** Where a requested reboot stands. */
export type RebootStage =
  | "requested"
  | "accepted"
  | "down"
  | "back"
  | "not-down"
  | "not-started"
  | "not-back";

/** What the report needs to know of a reboot (the watchdog's record of it). */
export interface RebootProgress {
  readonly ref: string;
  readonly stage: RebootStage;
  readonly requestedAt: number;
  /** When the stage was entered. */
  readonly at: number;
  readonly why?: string;
  readonly lang?: Lang;
}

/** True for a stage after which nothing more happens to the reboot. */
export function isFinalStage(stage: RebootStage): boolean {
  return stage === "back" || stage === "not-down" || stage === "not-started" || stage === "not-back";
}

/** True when the stage is a reboot that did not happen as asked. */
export function isFailedStage(stage: RebootStage): boolean {
  return stage === "not-down" || stage === "not-started" || stage === "not-back";
}

const seconds = (ms: number): number => Math.max(0, Math.round(ms / 1000));

/** What the operator can do when the sidecar refused: polkit is the usual cause. */
function refusalAdvice(why: string, vm: string, lang: Lang): string {
  const polkit =
    /access denied|not authorized|authentication required|polkit|interactive authentication/i.test(why);
  if (polkit)
    return lang === "ru"
      ? `Это отказ polkit: сайдкару не разрешено перезагружать машину. Запустите на ${vm} deploy/install-sidecar.sh ещё раз (он ставит правило polkit) и проверьте: npx voxops doctor --vm ${vm}. Или попросите жёсткую перезагрузку через Oracle Cloud.`
      : `That is polkit refusing: the sidecar may not reboot the machine. Run deploy/install-sidecar.sh on ${vm} again (it installs the polkit rule) and check with npx voxops doctor --vm ${vm}, or ask for a hard reboot through Oracle Cloud.`;
  return lang === "ru"
    ? `Проверьте сайдкар на ${vm}: npx voxops doctor --vm ${vm}; или попросите жёсткую перезагрузку через Oracle Cloud.`
    : `Check the sidecar on ${vm} with npx voxops doctor --vm ${vm}, or ask for a hard reboot through Oracle Cloud.`;
}

/** The evidence the sidecar or the watchdog gave, as a quoted sentence part. */
function quoted(why: string | undefined, lang: Lang): string {
  if (!why) return "";
  if (/was not accepted after \d+ sends|^no answer to the reboot/.test(why))
    return lang === "ru" ? " Сайдкар не ответил на команду." : " Its sidecar did not answer the command.";
  const text = why.replace(/\s+/g, " ").trim().slice(0, 300);
  return lang === "ru" ? ` Ответ: «${text}».` : ` It said: "${text}".`;
}

/** The sentence for one stage of a reboot of `label` (the VM as the operator knows it). */
export function rebootReportText(p: RebootProgress, label: string, vm: string, lang: Lang): string {
  const ru = lang === "ru";
  const took = seconds(p.at - p.requestedAt);
  switch (p.stage) {
    case "requested":
      return ru
        ? `⏳ Перезагрузка ${label} запрошена ${took} с назад; сайдкар ещё не ответил.`
        : `⏳ The reboot of ${label} was asked ${took} s ago; its sidecar has not answered yet.`;
    case "accepted":
      return ru
        ? `✅ ${label} приняла перезагрузку. Сообщу, когда она уйдёт и когда вернётся.`
        : `✅ ${label} accepted the reboot. I will say when it goes down and when it is back.`;
    case "down": {
      const socket = /socket/.test(p.why ?? "");
      return ru
        ? `⏳ ${label} ушла в перезагрузку через ${took} с: ${socket ? "её сайдкар закрыл соединение" : "сигналы от неё прекратились"}. Жду, пока вернётся.`
        : `⏳ ${label} went down ${took} s after the request: ${socket ? "its sidecar closed its connection" : "its heartbeats stopped"}. Waiting for it to come back.`;
    }
    case "back":
      return ru
        ? `✅ ${label} вернулась после перезагрузки: новая загрузка, ${took} с от запроса.`
        : `✅ ${label} is back from the reboot: a new boot, ${took} s after the request.`;
    case "not-started":
      return ru
        ? `⚠️ Перезагрузка ${label} не началась: сайдкар её не выполнил, машина работает как прежде.${quoted(p.why, lang)} ${refusalAdvice(p.why ?? "", vm, lang)}`
        : `⚠️ The reboot of ${label} did not start: its sidecar did not carry it out, and the machine runs as before.${quoted(p.why, lang)} ${refusalAdvice(p.why ?? "", vm, lang)}`;
    case "not-down":
      return ru
        ? `⚠️ ${label} не ушла в перезагрузку: сайдкар принял её, но через ${took} с машина работает с той же загрузки и шлёт сигналы. Можно попросить перезагрузку ещё раз или жёсткую через Oracle Cloud; проверьте журнал systemd на ${vm}.`
        : `⚠️ ${label} did not go down: its sidecar accepted the reboot, but ${took} s later the machine still runs the same boot and sends heartbeats. Ask for the reboot again or for a hard reboot through Oracle Cloud; check systemd's journal on ${vm}.`;
    case "not-back":
      return ru
        ? `🔴 ${label} ушла в перезагрузку, но не вернулась за ${took} с. Сторож следит за ней и сообщит; проверьте её в консоли Oracle Cloud.`
        : `🔴 ${label} went down for the reboot but has not come back in ${took} s. The watchdog keeps watching it and will report; check it in the Oracle Cloud console.`;
  }
}

/** Polls `read` until the reboot `ref` leaves the stages in `past`, or `waitMs` passes; returns what it saw last. */
export async function waitForRebootStage(options: {
  readonly read: () => Promise<RebootProgress | undefined>;
  readonly ref: string;
  readonly past: readonly RebootStage[];
  readonly waitMs: number;
  readonly now: () => number;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly pollMs?: number;
}): Promise<RebootProgress | undefined> {
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const deadline = options.now() + options.waitMs;
  for (;;) {
    const p = await options.read();
    const mine = p?.ref === options.ref ? p : undefined;
    if (mine && !options.past.includes(mine.stage)) return mine;
    if (options.now() >= deadline) return mine;
    await sleep(options.pollMs ?? 250);
  }
}
