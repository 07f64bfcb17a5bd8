/** One journald entry as the sidecar uses it, parsed from `journalctl -o json` output. */

/** A journal line with the fields the sidecar needs. */
export interface JournalEntry {
  /** Epoch milliseconds. */
  readonly at: number;
  /** Syslog priority: 0 emerg … 3 err … 6 info, 7 debug. */
  readonly priority: number;
  /** The unit the line belongs to (_SYSTEMD_UNIT, or UNIT for systemd's own messages about it). */
  readonly unit: string | null;
  readonly pid: number | null;
  readonly identifier: string;
  readonly message: string;
}

function field(value: unknown): string | null {
  if (typeof value === "string") return value;
  // journald encodes non-UTF-8 fields as byte arrays and repeated fields as arrays of strings.
  if (Array.isArray(value)) {
    if (value.every((b) => typeof b === "number")) return Buffer.from(value as number[]).toString("utf8");
    const first: unknown = value[0];
    return typeof first === "string" ? first : null;
  }
  return null;
}

/** Parses one line of `journalctl -o json`; null for anything that is not an entry. */
export function parseJournalJson(line: string): JournalEntry | null {
  let raw: unknown;
  try {
    raw = JSON.parse(line);
  } catch {
    return null;
  }
  if (typeof raw !== "object" || raw === null) return null;
  const o = raw as Record<string, unknown>;
  const stamp = field(o["__REALTIME_TIMESTAMP"]);
  const us = stamp === null || !/^\d+$/.test(stamp) ? Number.NaN : Number(stamp);
  if (!Number.isFinite(us)) return null;
  const priority = Number(field(o["PRIORITY"]) ?? 6);
  const pid = Number(field(o["_PID"]));
  return {
    at: Math.floor(us / 1000),
    priority: Number.isInteger(priority) ? priority : 6,
    unit: field(o["_SYSTEMD_UNIT"]) ?? field(o["UNIT"]),
    pid: Number.isInteger(pid) && pid > 0 ? pid : null,
    identifier: field(o["SYSLOG_IDENTIFIER"]) ?? field(o["_COMM"]) ?? "",
    message: field(o["MESSAGE"]) ?? "",
  };
}
