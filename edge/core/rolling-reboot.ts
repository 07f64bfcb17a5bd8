/**
 * Rebooting several VMs one at a time. In a fleet whose VMs watch each other, rebooting them all at
 * once leaves nobody watching: reboot one, wait until it has gone down and come back, then the next.
 * Any step that does not happen (refused, never went down, did not come back) stops the rest.
 */
import type { Lang } from "./desk.ts";
import { t } from "./desk-texts.ts";
import type { VmState } from "./fleet.ts";

/** One VM's reboot result, as the desk reports it. */
export interface RebootResult {
  readonly vm: string;
  readonly reboot: { accepted: boolean; text: { ru: string; en: string } };
}

/** What a rolling reboot needs. */
export interface RollingRebootOptions {
  readonly vms: readonly string[];
  /** Reboots one VM (through the watchdog's executor). */
  readonly reboot: (vm: string) => Promise<RebootResult["reboot"]>;
  /** The fleet as the controller sees it now. */
  readonly fleet: () => readonly VmState[];
  /** The VM as the operator knows it ("vm1 (main)"). */
  readonly label: (vm: string) => string;
  readonly now: () => number;
  /** How long to wait for a VM to go down, and then to come back (default 5 min each). */
  readonly waitMs?: number;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly onProgress?: (note: string) => void;
  readonly lang: Lang;
}

/** Reboots the VMs in order, waiting for each to come back; stops at the first step that fails. */
export async function rollingReboot(options: RollingRebootOptions): Promise<RebootResult[]> {
  const { vms, label, lang } = options;
  const waitMs = options.waitMs ?? 300_000;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const connected = (vm: string) => options.fleet().find((v) => v.vm === vm)?.connected === true;
  const waitUntil = async (ok: () => boolean): Promise<boolean> => {
    const deadline = options.now() + waitMs;
    while (!ok()) {
      if (options.now() >= deadline) return false;
      await sleep(Math.min(1000, Math.max(50, waitMs / 20)));
    }
    return true;
  };
  const results: RebootResult[] = [];
  for (const [i, vm] of vms.entries()) {
    const result = await options.reboot(vm);
    results.push({ vm, reboot: result });
    const rest = vms.slice(i + 1);
    const skip = (why: { ru: string; en: string }) => {
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
    if (rest.length === 0) return results;
    if (!result.accepted)
      return skip({
        ru: `перезагрузка ${label(vm)} не началась.`,
        en: `the reboot of ${label(vm)} did not start.`,
      });
    const started = options.now();
    options.onProgress?.(
      t(lang, `⏳ Жду, пока ${label(vm)} перезагрузится…`, `⏳ Waiting for ${label(vm)} to reboot…`),
    );
    if (!(await waitUntil(() => !connected(vm)))) {
      results[results.length - 1] = {
        vm,
        reboot: {
          accepted: false,
          text: {
            ru: `${result.text.ru}\n⚠️ ${label(vm)} не ушла в перезагрузку за ${Math.round(waitMs / 1000)} с: её сайдкар на связи.`,
            en: `${result.text.en}\n⚠️ ${label(vm)} did not go down within ${Math.round(waitMs / 1000)} s: its sidecar is still connected.`,
          },
        },
      };
      return skip({ ru: `${label(vm)} так и не перезагрузилась.`, en: `${label(vm)} never went down.` });
    }
    if (!(await waitUntil(() => connected(vm))))
      return skip({
        ru: `${label(vm)} не вернулась за ${Math.round(waitMs / 1000)} с после перезагрузки.`,
        en: `${label(vm)} has not come back within ${Math.round(waitMs / 1000)} s of going down.`,
      });
    const tookS = Math.round((options.now() - started) / 1000);
    results[results.length - 1] = {
      vm,
      reboot: {
        accepted: true,
        text: {
          ru: `${result.text.ru}\n✅ ${label(vm)} вернулась через ${tookS} с.`,
          en: `${result.text.en}\n✅ ${label(vm)} came back after ${tookS} s.`,
        },
      },
    };
  }
  return results;
}
