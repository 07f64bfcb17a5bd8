/** Reading an action's output (checked by its schema, seen here as plain data) for the operator's text. */

/** The value as an object, or an empty one. */
export function obj(v: unknown): Record<string, unknown> {
  return typeof v === "object" && v !== null ? (v as Record<string, unknown>) : {};
}

/** The value as text; nothing for undefined and null. */
export function str(v: unknown): string {
  return typeof v === "string" ? v : v === undefined || v === null ? "" : String(v);
}
