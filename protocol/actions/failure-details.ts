/**
 * A failure's details as they cross the wire: checked against the action's `failureDetails` schema
 * and clipped (long strings cut, long lists keep their last items, the whole under a size cap). An
 * action without a schema sends none: only typed details travel.
 */
import { definitionOf } from "./catalog.ts";

/** Largest serialised details a failure carries, in characters. */
export const MAX_DETAILS_CHARS = 64_000;
const MAX_STRING = 1000;
const MAX_ITEMS = 50;

function clipValue(value: unknown, depth: number): unknown {
  if (typeof value === "string")
    return value.length <= MAX_STRING ? value : `${value.slice(0, MAX_STRING - 1)}…`;
  if (depth > 6) return undefined;
  if (Array.isArray(value)) return value.slice(-MAX_ITEMS).map((v) => clipValue(v, depth + 1));
  if (typeof value === "object" && value !== null)
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, clipValue(v, depth + 1)]));
  return value;
}

/** The details of `action`'s failure in the form its definition declares, clipped; undefined when they do not fit it. */
export function typedFailureDetails(action: string, details: unknown): Record<string, unknown> | undefined {
  const schema = definitionOf(action)?.failureDetails;
  if (!schema || details === undefined || details === null) return undefined;
  const parsed = schema.safeParse(clipValue(details, 0));
  if (!parsed.success || typeof parsed.data !== "object" || parsed.data === null) return undefined;
  const data = parsed.data as Record<string, unknown>;
  return JSON.stringify(data).length <= MAX_DETAILS_CHARS ? data : undefined;
}
