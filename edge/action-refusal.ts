/**
 * Why an action name or its arguments are refused, as one sentence in the caller's language: the
 * catalog's own check (`parseAction`) words its errors in English for logs and audit; the API and its
 * callers get this instead.
 */
import type * as z from "zod";
import { actionArgs, isActionName } from "../protocol/actions/catalog.ts";
import type { Lang } from "./core/desk.ts";

/** The refusal of an action and its arguments in `lang`, or undefined when the catalog accepts them. */
export function actionRefusal(action: string, args: unknown, lang: Lang): string | undefined {
  const ru = lang === "ru";
  const names = Object.keys(actionArgs).join(", ");
  if (!isActionName(action))
    return ru
      ? `Действия «${action.slice(0, 40)}» нет. Есть: ${names}.`
      : `There is no action "${action.slice(0, 40)}". The actions are: ${names}.`;
  const parsed = actionArgs[action].safeParse(args ?? {});
  if (parsed.success) return undefined;
  const issue = parsed.error.issues[0];
  return issue ? issueSentence(action, issue, lang) : undefined;
}

/** One zod issue as a sentence about the action's argument. */
function issueSentence(action: string, issue: z.core.$ZodIssue, lang: Lang): string {
  const ru = lang === "ru";
  const arg = issue.path.map(String).join(".") || (ru ? "(аргументы)" : "(the arguments)");
  const bound = (n: number | bigint, origin: string): string =>
    origin === "string"
      ? ru
        ? `${n} символов`
        : `${n} characters`
      : origin === "array"
        ? ru
          ? `${n} элементов`
          : `${n} items`
        : String(n);
  switch (issue.code) {
    case "unrecognized_keys":
      return ru
        ? `У действия ${action} нет аргументов ${issue.keys.join(", ")}.`
        : `The action ${action} does not take ${issue.keys.join(", ")}.`;
    case "invalid_type":
      if (issue.input === undefined)
        return ru
          ? `Для ${action} нужен аргумент ${arg}.`
          : `The action ${action} needs the argument ${arg}.`;
      return ru
        ? `Аргумент ${arg} действия ${action} должен быть типа ${issue.expected}.`
        : `The argument ${arg} of ${action} must be a ${issue.expected}.`;
    case "too_big":
      return ru
        ? `Аргумент ${arg} действия ${action} — не больше ${bound(issue.maximum, issue.origin)}.`
        : `The argument ${arg} of ${action} must be at most ${bound(issue.maximum, issue.origin)}.`;
    case "too_small":
      return ru
        ? `Аргумент ${arg} действия ${action} — не меньше ${bound(issue.minimum, issue.origin)}.`
        : `The argument ${arg} of ${action} must be at least ${bound(issue.minimum, issue.origin)}.`;
    case "invalid_value":
      return ru
        ? `Аргумент ${arg} действия ${action} — одно из: ${issue.values.map(String).join(", ")}.`
        : `The argument ${arg} of ${action} must be one of: ${issue.values.map(String).join(", ")}.`;
    default:
      // Format checks (names, paths, git refs) carry their reason in English; Russian says what to fix.
      return ru
        ? `Аргумент ${arg} действия ${action} недопустим: проверьте имя или путь (без «..», пробелов и символов оболочки).`
        : `The argument ${arg} of ${action} is not valid: ${issue.message}.`;
  }
}
