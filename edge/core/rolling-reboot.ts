/**
 * Rebooting several VMs one at a time. In a fleet whose VMs watch each other, rebooting them all at
 * once leaves nobody watching: reboot one, follow it (the same follow-up a single reboot has) until
 * it is back from a new boot, then the next. Any reboot that does not happen (did not start, did not
 * go down, did not come back) stops the rest.
 */
import type { Lang } from "./desk.ts";
import { t } from "./desk-texts.ts";
import { type RebootProgress, rebootReportText } from "./reboot-report.ts";

/** A reboot's first answer: accepted or not, its words, and the reference to follow it by. */
export interface RebootAnswer {
  readonly accepted: boolean;
  readonly text: { ru: string; en: string };
  readonly ref?: string;
}

/** One VM's reboot result, as the desk reports it. */
export interface RebootResult {
  readonly vm: string;
  readonly reboot: RebootAnswer;
}

/** What a rolling reboot needs. */
export interface RollingRebootOptions {
  readonly vms: readonly string[];
  /** Reboots one VM and waits for its sidecar's answer. */
  readonly reboot: (vm: string) => Promise<RebootAnswer>;
  /** Follows an accepted reboot until it has ended (back, or not); undefined when it could not be read in time. */
  readonly follow: (vm: string, ref: string) => Promise<RebootProgress | undefined>;
  /** The VM as the operator knows it ("vm1 (main)"). */
  readonly label: (vm: string) => string;
  readonly onProgress?: (note: string) => void;
  readonly lang: Lang;
}

/** Reboots the VMs in order, waiting for each to come back; stops at the first that does not. */
export async function rollingReboot(options: RollingRebootOptions): Promise<RebootResult[]> {
  const { vms, label, lang } = options;
  const results: RebootResult[] = [];
  const skip = (rest: readonly string[], why: { ru: string; en: string }) => {
    for (const other of rest)
      results.push({
        vm: other,
        reboot: {
          accepted: false,
          text: {
            ru: `⏸ ${label(other)} не перезагружалась: ${why.ru}`,
            en: `⏸ ${label(other)} was not rebooted: ${why.en}`,
          },
        },
      });
    return results;
  };
  for (const [i, vm] of vms.entries()) {
    const answer = await options.reboot(vm);
    const rest = vms.slice(i + 1);
    if (!answer.accepted || answer.ref === undefined) {
      results.push({ vm, reboot: answer });
      if (rest.length === 0) return results;
      return skip(rest, {
        ru: `перезагрузка ${label(vm)} не началась.`,
        en: `the reboot of ${label(vm)} did not start.`,
      });
    }
    options.onProgress?.(
      t(lang, `Жду, пока ${label(vm)} перезагрузится…`, `Waiting for ${label(vm)} to reboot…`),
    );
    const end = await options.follow(vm, answer.ref);
    const back = end?.stage === "back";
    const endText = (l: Lang) =>
      end
        ? rebootReportText(end, label(vm), vm, l)
        : t(
            l,
            `⚠️ Не удалось узнать, чем кончилась перезагрузка ${label(vm)}.`,
            `⚠️ I could not tell how the reboot of ${label(vm)} ended.`,
          );
    results.push({
      vm,
      reboot: {
        accepted: back,
        text: { ru: `${answer.text.ru}\n${endText("ru")}`, en: `${answer.text.en}\n${endText("en")}` },
        ref: answer.ref,
      },
    });
    if (!back && rest.length > 0)
      return skip(
        rest,
        end?.stage === "not-down"
          ? { ru: `${label(vm)} так и не перезагрузилась.`, en: `${label(vm)} never went down.` }
          : end?.stage === "not-started"
            ? {
                ru: `перезагрузка ${label(vm)} не началась.`,
                en: `the reboot of ${label(vm)} did not start.`,
              }
            : {
                ru: `${label(vm)} не вернулась из перезагрузки.`,
                en: `${label(vm)} did not come back from its reboot.`,
              },
      );
  }
  return results;
}
