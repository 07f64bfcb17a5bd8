/**
 * The question put back to the operator when the rules abstained and no LLM is configured:
 * "Вы хотите перезапустить postgresql или изменить его конфиг?" — never a guess.
 */
import type { Intent, Understanding } from "../understand/understanding.ts";
import type { Lang } from "./desk.ts";

type Target = { readonly service?: string; readonly vm?: string };

/** What an intent would do to the heard target, as the words of a question. */
function actionWords(intent: Intent, target: Target, lang: Lang, again: boolean): string {
  const s = target.service;
  const vm = target.vm && target.vm !== "all" ? target.vm : undefined;
  const ru = lang === "ru";
  const what = s ?? (ru ? "сервис" : "the service");
  switch (intent) {
    case "restart":
      return ru ? `перезапустить ${what}` : `restart ${what}`;
    case "config":
      if (again && s) return ru ? "изменить его конфиг" : "change its configuration";
      return ru ? `изменить конфиг ${s ?? ""}`.trimEnd() : `change the configuration${s ? ` of ${s}` : ""}`;
    case "fix":
      return ru ? `починить ${s ?? vm ?? "сервис"}` : `repair ${s ?? vm ?? "the service"}`;
    case "deploy":
      return ru ? `выкатить свежую версию ${what}` : `deploy the latest ${what}`;
    case "backup":
      return ru ? `сделать бэкап${vm ? ` ${vm}` : ""}` : `back up${vm ? ` ${vm}` : ""}`;
    case "reboot":
      return ru ? `перезагрузить ${vm ?? "машину"}` : `reboot ${vm ?? "the VM"}`;
    case "code":
      return ru ? "написать или изменить код" : "write or change code";
    default:
      return ru ? "что-то другое" : "something else";
  }
}

/** The question back for an abstained request, in the operator's language. */
export function clarifyingQuestion(u: Understanding, lang: Lang): string {
  const target: Target = {
    ...(typeof u.heard?.service === "string" ? { service: u.heard.service } : {}),
    ...(typeof u.heard?.vm === "string" ? { vm: u.heard.vm } : {}),
  };
  const [first, second] = u.competing ?? [];
  const ru = lang === "ru";
  if (first !== undefined && second !== undefined) {
    const a = actionWords(first, target, lang, false);
    const b = actionWords(second, target, lang, true);
    return ru
      ? `Вы хотите ${a} или ${b}? Назовите одно действие — угадывать я не буду.`
      : `Do you want to ${a} or ${b}? Say one action; I will not guess.`;
  }
  const a = first === undefined ? undefined : actionWords(first, target, lang, false);
  if (a === undefined)
    return ru
      ? "Я не понял, что именно сделать, и угадывать не буду. Скажите одну команду, например «перезапусти admin-api»."
      : "I did not understand what to do, and I will not guess. Say one command, for example “restart admin-api”.";
  return ru
    ? `Вы хотите ${a}? В запросе есть ещё условие или другое действие, и я не буду его угадывать: скажите одну команду без него.`
    : `Do you want to ${a}? The request has a condition or another action I will not guess at: say the one command on its own.`;
}
