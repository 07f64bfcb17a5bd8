/**
 * Why a request field is refused, as one sentence in the caller's language that names the field and
 * says what is expected: built from the zod issue the route table's schema raised for it.
 */
import type * as z from "zod";
import { definitionOf } from "../../protocol/actions/catalog.ts";
import type { Lang } from "./desk.ts";

/** What a JSON type is called: as a thing expected (English; Russian instrumental and accusative) and as received. */
const typeWords: Readonly<
  Record<string, readonly [en: string, ruBe: string, ruSend: string, ruGot: string]>
> = {
  string: ["text (a JSON string)", "строкой", "строку", "строка"],
  number: ["a number", "числом", "число", "число"],
  int: ["a whole number", "целым числом", "целое число", "число"],
  boolean: ["true or false", "true или false", "true или false", "true или false"],
  object: ["a JSON object", "объектом JSON", "объект JSON", "объект JSON"],
  array: ["a list", "списком", "список", "список"],
  null: ["null", "null", "null", "null"],
};

/**
 * Russian for the English reasons the shared name schemas give (`protocol/names.ts`), so a refused
 * name or path says what a good one looks like in both languages; another reason gets a general hint.
 */
const reasonsRu: Readonly<Record<string, string>> = {
  "a service name is lowercase letters, digits, '-', '_', '.', '@'":
    "имя сервиса — строчные латинские буквы, цифры и «-», «_», «.», «@»",
  "a service name may not contain '..'": "в имени сервиса не может быть «..»",
  "a path is letters, digits and _ . / @ + - only": "путь — латинские буквы, цифры и «_ . / @ + -»",
  "a path must be relative and may not contain '..'": "путь должен быть относительным и без «..»",
  "no part of a path may start with '-'": "ни одна часть пути не может начинаться с «-»",
  "not a valid git ref": "это не имя ветки, тега или коммита git",
  "not a valid git ref (see git check-ref-format)":
    "это не имя ветки, тега или коммита git (git check-ref-format)",
  blank: "текст не может быть пустым",
};

/** The JSON type of a received value, as the type table names it. */
function receivedType(input: unknown): string {
  if (input === null) return "null";
  if (Array.isArray(input)) return "array";
  if (typeof input === "number") return Number.isInteger(input) ? "int" : "number";
  return typeof input;
}

function words(type: string): readonly [string, string, string, string] {
  return typeWords[type] ?? [type, type, type, type];
}

/** A bound of a too-big or too-small value: characters, items or a plain number. */
function bound(n: number | bigint, origin: string, lang: Lang): string {
  if (origin === "string") return lang === "ru" ? `${n} символов` : `${n} characters`;
  if (origin === "array") return lang === "ru" ? `${n} элементов` : `${n} items`;
  return String(n);
}

/** One sentence for one schema issue about a request field; `field` is its name as the caller sent it. */
export function fieldIssueSentence(issue: z.core.$ZodIssue, lang: Lang): string {
  const ru = lang === "ru";
  const field = issue.path.map(String).join(".") || (ru ? "(тело запроса)" : "(the body)");
  if (issue.input === undefined && issue.code === "invalid_value") {
    const values = issue.values.map((v) => JSON.stringify(v)).join(", ");
    return ru
      ? `Не хватает поля ${field}: пришлите одно из: ${values}.`
      : `The field ${field} is missing: send one of: ${values}.`;
  }
  switch (issue.code) {
    case "invalid_type": {
      const [en, ruBe, ruSend] = words(issue.expected);
      if (issue.input === undefined)
        return ru
          ? `Не хватает поля ${field}: пришлите его как ${ruSend}.`
          : `The field ${field} is missing: send it as ${en}.`;
      const got = words(receivedType(issue.input));
      return ru
        ? `Поле ${field} должно быть ${ruBe}, а пришло ${got[3]}.`
        : `The field ${field} must be ${en}, not ${got[0]}.`;
    }
    case "too_big":
      return ru
        ? `Поле ${field} должно быть не больше ${bound(issue.maximum, issue.origin, lang)}.`
        : `The field ${field} must be at most ${bound(issue.maximum, issue.origin, lang)}.`;
    case "too_small":
      if (issue.input === "")
        return ru
          ? `Поле ${field} пустое: пришлите его значение (см. /agent/openapi.json).`
          : `The field ${field} is empty: send its value (see /agent/openapi.json).`;
      return ru
        ? `Поле ${field} должно быть не меньше ${bound(issue.minimum, issue.origin, lang)}.`
        : `The field ${field} must be at least ${bound(issue.minimum, issue.origin, lang)}.`;
    case "invalid_value": {
      const values = issue.values.map((v) => JSON.stringify(v)).join(", ");
      return ru
        ? `Поле ${field} должно быть одним из: ${values}.`
        : `The field ${field} must be one of: ${values}.`;
    }
    case "invalid_format":
    case "custom": {
      const reason = issue.message.replace(/[.\s]+$/, "");
      const known = reasonsRu[reason];
      return ru
        ? `Поле ${field} не подходит: ${known ?? "проверьте имя или путь (без «..», пробелов и символов оболочки)"}.`
        : `The field ${field} is not valid: ${reason}.`;
    }
    case "unrecognized_keys":
      return ru
        ? `Поле ${field} не принимает ${issue.keys.join(", ")}.`
        : `The field ${field} does not take ${issue.keys.join(", ")}.`;
    default:
      return ru
        ? `Поле ${field} не подходит: сверьте его со схемой в /agent/openapi.json.`
        : `The field ${field} is not valid: check it against the schema in /agent/openapi.json.`;
  }
}

/** The sentences for a request's issues (at most three), one after another. */
export function fieldRefusal(issues: readonly z.core.$ZodIssue[], lang: Lang): string {
  return issues
    .slice(0, 3)
    .map((issue) => fieldIssueSentence(issue, lang))
    .join(" ");
}

/**
 * Why the catalog refuses an action's arguments, in `lang` (the catalog words its own check in English
 * for the audit), or undefined when it accepts them; each argument is named as the field `args.<name>`
 * of `POST /agent/commands`, which is the one route whose arguments the table does not check itself.
 */
export function argumentRefusal(action: string, args: unknown, lang: Lang): string | undefined {
  const parsed = definitionOf(action)?.args.safeParse(args ?? {}, { reportInput: true });
  if (!parsed || parsed.success) return undefined;
  return fieldRefusal(
    parsed.error.issues.map((issue) => ({ ...issue, path: ["args", ...issue.path] })),
    lang,
  );
}
