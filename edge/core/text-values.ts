/** Reading an action's output (checked by its schema, seen here as plain data) for the operator's text. */
import type { Lang } from "./desk.ts";
import { t } from "./text.ts";

/** The value as an object, or an empty one. */
export function obj(v: unknown): Record<string, unknown> {
  return typeof v === "object" && v !== null ? (v as Record<string, unknown>) : {};
}

/** The value as text; nothing for undefined and null. */
export function str(v: unknown): string {
  return typeof v === "string" ? v : v === undefined || v === null ? "" : String(v);
}

/** "Checks passed: a; b." for the checks that passed, or `none` when no check passed. */
export function checksLine(checks: unknown, lang: Lang, none = ""): string {
  const passed = (Array.isArray(checks) ? checks.map(obj) : [])
    .filter((c) => c["ok"] === true)
    .map((c) => str(c["name"]));
  return passed.length === 0
    ? none
    : t(lang, `Проверки пройдены: ${passed.join("; ")}.`, `Checks passed: ${passed.join("; ")}.`);
}
