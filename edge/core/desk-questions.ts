/** The desk's questions back: which VM, which service, and the VM or service it does not know. */
import { type ActionName, definitionOf } from "../../protocol/actions/catalog.ts";
import type { NextStep } from "../understand/to-action.ts";
import type { Lang, Reply, ReplyButton } from "./desk.ts";
import type { DeskContext } from "./desk-context.ts";
import { t } from "./desk-texts.ts";

/** The desk's questions. */
export interface DeskQuestions {
  /** Asks for what the understanding layer found missing, with buttons where it can. */
  askReply(
    step: Extract<NextStep, { kind: "ask" }>,
    action: ActionName | undefined,
    lang: Lang,
    service: string | undefined,
    unknownService: string | undefined,
  ): Reply;
  /** The operator named a VM the inventory does not have: say so, list the known ones, run nothing. */
  unknownVmReply(heard: string, lang: Lang): Reply;
  /** A `do:` button for an action that needs a service but names none: ask which, with buttons. */
  whichServiceReply(action: ActionName, vm: string, lang: Lang): Reply;
}

/** Creates the questions over the context's inventory. */
export function createDeskQuestions(ctx: DeskContext): DeskQuestions {
  const { label } = ctx;
  const { inventory } = ctx.options;
  function askReply(
    step: Extract<NextStep, { kind: "ask" }>,
    action: ActionName | undefined,
    lang: Lang,
    service: string | undefined,
    unknownService: string | undefined,
  ): Reply {
    if (unknownService !== undefined && service === undefined)
      return unknownServiceReply(unknownService, lang);
    if (step.missing.includes("vm") && action && (step.candidates.vm?.length ?? 0) > 0) {
      const buttons: ReplyButton[] = (step.candidates.vm ?? []).map((vm) => ({
        label: label(vm),
        data: `do:${action}:${vm}${service ? `:${service}` : ""}`,
      }));
      const noun = definitionOf(action)?.noun ?? { ru: "действие", en: "action" };
      return {
        lang,
        text: t(
          lang,
          `На какой машине? (${noun.ru}${service ? ` ${service}` : ""})`,
          `On which VM? (${noun.en}${service ? ` ${service}` : ""})`,
        ),
        buttons: [buttons],
      };
    }
    if (step.missing.includes("service")) {
      const names = step.candidates.service?.length
        ? step.candidates.service
        : [...new Set(inventory.vms.flatMap((v) => v.services.map((s) => s.name)))];
      return {
        lang,
        text:
          names.length > 0
            ? t(
                lang,
                `Какой сервис? Известные: ${names.join(", ")}`,
                `Which service? Known: ${names.join(", ")}`,
              )
            : t(
                lang,
                "Какой сервис? В инвентаре нет ни одного сервиса: добавьте их в файл инвентаря (README, «Инвентарь»).",
                'Which service? The inventory lists no services: add them to the inventory file (README, "The inventory").',
              ),
      };
    }
    return {
      lang,
      text: t(
        lang,
        `Какая машина? ${inventory.vms.map((v) => label(v.name)).join(", ")}`,
        `Which VM? ${inventory.vms.map((v) => label(v.name)).join(", ")}`,
      ),
    };
  }

  /** The operator named a VM the inventory does not have: say so, list the known ones, run nothing. */
  function unknownVmReply(heard: string, lang: Lang): Reply {
    const known = inventory.vms.map((v) => label(v.name)).join(", ");
    return {
      lang,
      text: t(
        lang,
        `Не знаю машины «${heard.slice(0, 40)}»; ничего не запускаю. Известные машины: ${known}.`,
        `I don't know a VM called "${heard.slice(0, 40)}"; nothing was run. Known VMs: ${known}.`,
      ),
    };
  }

  /** The operator named a service the inventory does not have: say so and list the known ones. */
  function unknownServiceReply(heard: string, lang: Lang): Reply {
    const names = [...new Set(inventory.vms.flatMap((v) => v.services.map((x) => x.name)))];
    return {
      lang,
      text: t(
        lang,
        `Не знаю сервиса «${heard}». ${names.length > 0 ? `Известные: ${names.join(", ")}.` : "В инвентаре нет ни одного сервиса."}`,
        `I don't know a service called "${heard}". ${names.length > 0 ? `Known: ${names.join(", ")}.` : "The inventory lists no services."}`,
      ),
    };
  }

  /** A `do:` button for an action that needs a service but names none: ask which, with buttons. */
  function whichServiceReply(action: ActionName, vm: string, lang: Lang): Reply {
    const names = inventory.vm(vm)?.services.map((x) => x.name) ?? [];
    if (names.length === 0)
      return {
        lang,
        text: t(
          lang,
          `В инвентаре у ${vm} нет ни одного сервиса.`,
          `The inventory lists no services on ${vm}.`,
        ),
      };
    return {
      lang,
      text: t(lang, `Какой сервис на ${vm}?`, `Which service on ${vm}?`),
      buttons: [names.slice(0, 8).map((name) => ({ label: name, data: `do:${action}:${vm}:${name}` }))],
    };
  }

  return { askReply, unknownVmReply, whichServiceReply };
}
