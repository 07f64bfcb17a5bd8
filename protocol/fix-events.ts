/**
 * The payloads of the auto-fix events a sidecar sends (finding, fix.request, fix.applied, fix.failed,
 * fix.skipped, autofix.paused) and of backup.failed: each field is checked on its own, so one bad field
 * (a null step, a number for a string) drops that field, never the event or its audit row, and every
 * string an operator may read is cleaned and clipped. What the operator reads comes in English and
 * Russian side by side (`reason`/`reasonRu`, `ask`/`askRu`, `what`/`whatRu`, `message`/`messageRu`).
 */
import * as z from "zod";
import { shownText } from "./shown-text.ts";

/** A string shown to a person: escapes and control characters removed, one line, at most `max` characters. */
const shown = (max: number) =>
  z
    .string()
    .transform((s) => shownText(s, max))
    .optional()
    .catch(undefined);
const id = z
  .string()
  .regex(/^[A-Za-z0-9_.@-]{1,64}$/)
  .optional()
  .catch(undefined);
const count = z.number().int().nonnegative().optional().catch(undefined);
/** A list whose bad items are dropped one by one. */
const listOf = <T extends z.ZodType>(item: T, max: number) =>
  z
    .array(z.unknown())
    .transform((items) =>
      items
        .slice(0, max)
        .map((i) => item.safeParse(i))
        .filter((r) => r.success)
        .map((r) => r.data as z.output<T>),
    )
    .optional()
    .catch(undefined);

const groupSchema = z.object({ unit: shown(80), sample: shown(300), pattern: shown(300), count });
const findingSchema = z.object({
  id,
  rule: id,
  service: id,
  meaning: shown(200),
  line: shown(300),
  facts: z
    .record(
      z.string(),
      z.string().transform((s) => shownText(s, 200)),
    )
    .optional()
    .catch(undefined),
  groups: listOf(groupSchema, 10),
  errorLines: count,
});
const stepSchema = z.object({
  kind: z.string().regex(/^[a-z][a-z-]{0,39}$/),
  ok: z.boolean().optional().catch(undefined),
  pid: count,
  port: count,
  name: shown(80),
  path: shown(300),
  unit: shown(120),
  argv: listOf(
    z.string().transform((s) => shownText(s, 120)),
    12,
  ),
  detail: z.record(z.string(), z.unknown()).optional().catch(undefined),
});
const holderSchema = z.object({
  pid: count,
  name: shown(80),
  stale: z.boolean().optional().catch(undefined),
});
const planSchema = z.object({
  decision: z.enum(["repair", "report"]).optional().catch(undefined),
  reason: shown(500),
  reasonRu: shown(500),
  steps: listOf(stepSchema, 10),
  ask: shown(300),
  askRu: shown(300),
  proposal: z
    .object({ what: shown(300), whatRu: shown(300) })
    .optional()
    .catch(undefined),
  holders: listOf(holderSchema, 10),
});

/** Everything an auto-fix or backup event may carry; unknown fields are ignored. */
export const fixEventDataSchema = z.object({
  service: id,
  rule: id,
  findingId: id,
  finding: findingSchema.optional().catch(undefined),
  plan: planSchema.optional().catch(undefined),
  steps: listOf(stepSchema, 10),
  reason: shown(500),
  reasonRu: shown(500),
  message: shown(600),
  messageRu: shown(600),
  summary: shown(600),
  recurred: shown(300),
  logs: listOf(
    z.string().transform((s) => shownText(s, 200)),
    8,
  ),
  error: shown(600),
  failures: count,
  repairs: count,
  until: z.number().optional().catch(undefined),
  known: z.boolean().optional().catch(undefined),
  planned: z.boolean().optional().catch(undefined),
});
export type FixEventData = z.output<typeof fixEventDataSchema>;
export type FixStep = z.output<typeof stepSchema>;
export type FixFinding = z.output<typeof findingSchema>;
export type FixPlan = z.output<typeof planSchema>;

/** Reads an event's data; never throws (a payload that is not an object reads as empty). */
export function parseFixEventData(data: unknown): FixEventData {
  const r = fixEventDataSchema.safeParse(typeof data === "object" && data !== null ? data : {});
  return r.success ? r.data : {};
}
