/**
 * The shared frame of a command's reply: the outcome's output checked against its action's output
 * schema, then worded by the action's definition (protocol/actions/<name>.ts) in the operator's
 * language; failures by the definition where it has something to say, else by the general failure text.
 */

import { type ActionDefinition, definitionOf } from "../../protocol/actions/catalog.ts";
import { parseFixEventData } from "../../protocol/fix-events.ts";
import { shownText } from "../../protocol/shown-text.ts";
import { codeFailureText } from "./code-outcome-text.ts";
import type { CommandOutcome } from "./controller.ts";
import { creationActions, creationFailureText } from "./creation-outcome-text.ts";
import type { Lang } from "./desk.ts";
import { t } from "./desk-texts.ts";
import { failureHead } from "./failure-text.ts";
import { failedText, repairedText, reportedText } from "./fix-text.ts";
import { obj, str } from "./text-values.ts";

type Obj = Record<string, unknown>;

const MAX_TEXT = 3500;

/** What the controller knows about the VM that answered (for a reply about an answer it cannot read). */
export interface AnswerSource {
  readonly sidecarVersion?: string | null;
}

/** Keeps a reply under Telegram's message size with a marker. */
export function clip(text: string, max = MAX_TEXT): string {
  return text.length <= max ? text : `${text.slice(0, max - 2)}\n…`;
}

/** One service's `fix` result in the auto-fix texts' words. */
function fixResultText(vm: string, r: Obj, lang: Lang): string {
  const report = obj(r["report"]);
  const d = parseFixEventData({
    service: r["service"],
    finding: r["finding"],
    plan: r["plan"],
    steps: report["steps"],
    reason: report["reason"],
    reasonRu: report["reasonRu"],
    recurred: report["recurred"],
  });
  const service = d.service ?? "?";
  const where = lang === "ru" ? `${service} на ${vm}` : `${service} on ${vm}`;
  const rule = d.finding?.rule ?? undefined;
  switch (str(r["outcome"])) {
    case "repaired":
      return repairedText(where, rule, d.finding, d.steps ?? [], d.plan, lang);
    case "failed":
      return failedText(
        where,
        rule,
        d.finding,
        d.steps ?? [],
        d.plan,
        { en: d.reason, ru: d.reasonRu },
        d.recurred,
        lang,
      );
    case "reported":
      return reportedText(where, rule, d.finding, d.plan, lang);
    default:
      return t(
        lang,
        `${where}: с последнего запуска ошибок в журнале нет, исправлять нечего.`,
        `${where}: no errors in its journal since it last started; nothing to fix.`,
      );
  }
}

/** Outcomes the controller words with texts that live on its side (auto-fix; code and creation failures). */
function edgeWorded(o: CommandOutcome, output: Obj, lang: Lang): string | undefined {
  if (!o.ok && o.error?.code !== "interrupted") {
    if (o.action === "code-apply" || o.action === "code-revert") return codeFailureText(o, lang);
    if (creationActions.has(o.action)) return creationFailureText(o, lang);
  }
  if (o.action !== "fix") return undefined;
  if (!o.ok)
    return obj(o.error?.details)["outcome"] === "failed"
      ? fixResultText(o.vm, obj(o.error?.details), lang)
      : undefined;
  const results = Array.isArray(output["results"]) ? output["results"].map(obj) : [];
  if (results.length === 0) return undefined;
  return results.map((r) => fixResultText(o.vm, r, lang)).join("\n\n");
}

/** A command cut off by a sidecar restart: it may well have finished, so it is not called a failure. */
function interruptedText(o: CommandOutcome, output: Obj, lang: Lang): string {
  const noun = definitionOf(o.action)?.noun ?? { ru: "действие", en: "action" };
  const now = obj(output["stateNow"]);
  const stateNow =
    typeof now["state"] === "string"
      ? t(
          lang,
          `Сейчас ${str(now["name"])} на ${o.vm}: ${str(now["state"])}${now["since"] ? ` с ${str(now["since"])}` : ""}.`,
          `${str(now["name"])} on ${o.vm} is ${str(now["state"])} now${now["since"] ? ` (since ${str(now["since"])})` : ""}.`,
        )
      : undefined;
  return t(
    lang,
    `⚠️ ${o.vm}: ${noun.ru} — прервано: сайдкар перезапустился во время выполнения, повторно не запускалось. ${stateNow ?? `Проверьте состояние: «статус ${o.vm}».`}`,
    `⚠️ ${o.vm}: the ${noun.en} was interrupted — the sidecar restarted while it ran and did not run it again. ${stateNow ?? `Check the state now with "status ${o.vm}".`}`,
  );
}

/** The answer came in a form this controller cannot read: say so, with the sidecar's version and what to do. */
function unreadableText(o: CommandOutcome, def: ActionDefinition, lang: Lang, about: AnswerSource): string {
  const version = about.sidecarVersion ?? undefined;
  return t(
    lang,
    `⚠️ ${o.vm}: сайдкар VM ответил на «${def.noun.ru}» в форме, которую этот контроллер не понимает${version ? ` (версия сайдкара ${version})` : ""}. Обновите сайдкар на ${o.vm} до версии контроллера и повторите; до тех пор смотрите результат в журнале аудита.`,
    `⚠️ ${o.vm}: the VM's sidecar answered the ${def.noun.en} in a form this controller does not understand${version ? ` (sidecar version ${version})` : ""}. Update the sidecar on ${o.vm} to the controller's version and try again; until then the audit log has the raw result.`,
  );
}

/** Text for one VM's outcome of an action, entirely in the operator's language. */
export function outcomeText(o: CommandOutcome, lang: Lang, about: AnswerSource = {}): string {
  const output = obj(o.output);
  const edge = edgeWorded(o, output, lang);
  if (edge !== undefined) return edge;
  const def = definitionOf(o.action);
  const where = { vm: o.vm, lang };
  if (!o.ok) {
    if (o.error?.code === "interrupted") return interruptedText(o, output, lang);
    const parsed = def?.failureDetails?.safeParse(o.error?.details);
    const details = parsed?.success ? parsed.data : undefined;
    const own =
      def && o.error
        ? def.renderFailure?.({ code: o.error.code, message: o.error.message, details }, where)
        : undefined;
    return own ?? failureHead(o, lang);
  }
  if (!def) return failureHead({ ...o, ok: false }, lang);
  const parsed = def.output.safeParse(o.output ?? {});
  if (!parsed.success) return unreadableText(o, def, lang, about);
  return def.render(parsed.data, where);
}
