/** Groups error lines so repeats count once: numbers, ids, times and addresses are normalised away. */
import type { JournalEntry } from "../adapters/journal-entry.ts";

/** One kind of error and how often it happened. */
export interface ErrorGroup {
  readonly unit: string;
  readonly pattern: string;
  readonly count: number;
  readonly first: string;
  readonly last: string;
  /** The most recent line of the group, as written. */
  readonly sample: string;
  /** Most severe priority seen (3 = err). */
  readonly priority: number;
}

/** Lines that read as errors even when the service logged them at info priority (plain stderr). */
export const ERROR_TEXT =
  /\b(error|exception|traceback|fatal|panic|critical|failed|failure|refused|denied|timed? ?out|EADDRINUSE|ENOENT|ENOSPC|ECONNREFUSED|out of memory|segfault|killed)\b/i;

/** Replaces the parts of a message that change between repeats with placeholders. */
export function normaliseMessage(message: string): string {
  return message
    .replace(/\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(?:[.,]\d+)?(?:Z|[+-]\d{2}:?\d{2})?/g, "<time>")
    .replace(/\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi, "<uuid>")
    .replace(/\b\d{1,3}(?:\.\d{1,3}){3}(?::\d+)?\b/g, "<ip>")
    .replace(/\b0x[0-9a-f]+\b/gi, "<hex>")
    .replace(/\b(?=[0-9a-f]*\d)(?=[0-9a-f]*[a-f])[0-9a-f]{6,}\b/gi, "<hex>")
    .replace(/\d+(?:\.\d+)?/g, "<n>")
    .replace(/\s+/g, " ")
    .trim()
    .slice(0, 240);
}

/** Groups entries by unit and normalised message, most frequent first, at most `limit` groups. */
export function groupErrors(
  entries: readonly JournalEntry[],
  limit = 20,
): { groups: ErrorGroup[]; total: number } {
  const byKey = new Map<
    string,
    {
      unit: string;
      pattern: string;
      count: number;
      first: number;
      last: number;
      sample: string;
      priority: number;
    }
  >();
  for (const e of entries) {
    const unit = e.unit ?? e.identifier ?? "unknown";
    const pattern = normaliseMessage(e.message);
    const key = `${unit}\0${pattern}`;
    const g = byKey.get(key);
    if (g) {
      g.count++;
      g.first = Math.min(g.first, e.at);
      if (e.at >= g.last) {
        g.last = e.at;
        g.sample = e.message;
      }
      g.priority = Math.min(g.priority, e.priority);
    } else
      byKey.set(key, {
        unit,
        pattern,
        count: 1,
        first: e.at,
        last: e.at,
        sample: e.message,
        priority: e.priority,
      });
  }
  const groups = [...byKey.values()]
    .sort((a, b) => b.count - a.count || b.last - a.last)
    .slice(0, limit)
    .map((g) => ({
      ...g,
      sample: g.sample.slice(0, 500),
      first: new Date(g.first).toISOString(),
      last: new Date(g.last).toISOString(),
    }));
  return { groups, total: entries.length };
}
