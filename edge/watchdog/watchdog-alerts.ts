/** The watchdog's alerts to the operator, in Russian and English, with buttons. */
import type { Alert, ReplyButton } from "../core/desk.ts";

/** Button data the desk receives: "wd:<action>:<vm>", at most 64 bytes. */
export type WatchdogButtonAction = "reboot" | "logs" | "status" | "resume";

/** Builds one button's data. */
export function watchdogButtonData(action: WatchdogButtonAction, vm: string): string {
  return `wd:${action}:${vm}`;
}

/** Reads a watchdog button's data, or undefined when it is not one. */
export function parseWatchdogButton(data: string): { action: WatchdogButtonAction; vm: string } | undefined {
  const m = /^wd:(reboot|logs|status|resume):([a-z0-9][a-z0-9-]{0,31})$/.exec(data);
  return m ? { action: m[1] as WatchdogButtonAction, vm: m[2] ?? "" } : undefined;
}

function buttons(vm: string, actions: readonly WatchdogButtonAction[]): ReplyButton[][] {
  const label: Record<WatchdogButtonAction, string> = {
    reboot: `Reboot ${vm} / Перезагрузить`,
    logs: "Logs / Логи",
    status: "Status / Статус",
    resume: "Resume watchdog / Возобновить",
  };
  return [actions.map((a) => ({ label: label[a], data: watchdogButtonData(a, vm) }))];
}

const seconds = (ms: number) => Math.round(ms / 1000);

/** The VM has been silent and the observers do not (yet) agree. */
export function suspectAlert(vm: string, silentMs: number, why: { ru: string; en: string }): Alert {
  return {
    key: `watchdog:${vm}:suspect`,
    severity: "warning",
    text: {
      ru: `${vm}: нет сигналов ${seconds(silentMs)} с. ${why.ru}`,
      en: `${vm}: no heartbeat for ${seconds(silentMs)} s. ${why.en}`,
    },
    buttons: buttons(vm, ["status", "logs", "reboot"]),
  };
}

/** Two observers agree the VM is dead; `willReset` says whether the watchdog acts on its own. */
export function deadAlert(
  vm: string,
  reasons: readonly string[],
  willReset: boolean,
  whyNot?: string,
): Alert {
  const because = reasons.join("; ");
  return {
    key: `watchdog:${vm}:dead`,
    severity: "critical",
    text: willReset
      ? {
          ru: `${vm} не отвечает (${because}). Перезапускаю через Oracle Cloud.`,
          en: `${vm} is down (${because}). Resetting it through Oracle Cloud.`,
        }
      : {
          ru: `${vm} не отвечает (${because}). Автоперезагрузка не выполняется${whyNot ? `: ${whyNot}` : ""}. Перезагрузить?`,
          en: `${vm} is down (${because}). Not resetting it on my own${whyNot ? `: ${whyNot}` : ""}. Reboot it?`,
        },
    buttons: buttons(vm, willReset ? ["status", "logs"] : ["reboot", "status", "logs"]),
  };
}

/** The VM is back. */
export function recoveredAlert(vm: string, after: string | null, downMs: number): Alert {
  return {
    key: `watchdog:${vm}:recovered`,
    severity: "info",
    text: {
      ru: `${vm} снова в строю${after ? ` после ${after}` : ""} (недоступна была ${seconds(downMs)} с).`,
      en: `${vm} is back${after ? ` after ${after}` : ""} (it was out for ${seconds(downMs)} s).`,
    },
    buttons: buttons(vm, ["status", "logs"]),
  };
}

/** The watchdog stops acting on the VM until a human does. */
export function gaveUpAlert(vm: string, why: string): Alert {
  return {
    key: `watchdog:${vm}:gave-up`,
    severity: "critical",
    text: {
      ru: `${vm}: автоматическое восстановление остановлено (${why}). Нужны ваши действия.`,
      en: `${vm}: automatic recovery stopped (${why}). A human must act.`,
    },
    buttons: buttons(vm, ["reboot", "resume", "status"]),
  };
}

/** Two VMs cannot reach each other while the controller hears both: nothing is rebooted. */
export function partitionAlert(vm: string, peer: string): Alert {
  return {
    key: `watchdog:${vm}:partition:${peer}`,
    severity: "warning",
    text: {
      ru: `${peer} не видит ${vm}, но контроллер слышит обе машины: сбой связи между ними, ничего не перезагружаю.`,
      en: `${peer} cannot reach ${vm}, but the controller hears both: a network problem between them; nothing is rebooted.`,
    },
    buttons: buttons(vm, ["status"]),
  };
}
