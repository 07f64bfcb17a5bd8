/**
 * One journald entry as the sidecar uses it, parsed from `journalctl -o json --all` output: systemd's own
 * records about a unit are the unit's, byte-array messages are decoded and terminal escapes removed.
 */
import { stripVTControlCharacters } from "node:util";

/** A journal line with the fields the sidecar needs. */
export interface JournalEntry {
  /** Epoch milliseconds. */
  readonly at: number;
  /** Syslog priority: 0 emerg … 3 err … 6 info, 7 debug. */
  readonly priority: number;
  /** The unit the line is about (_SYSTEMD_UNIT, or UNIT / USER_UNIT for systemd's own records about it). */
  readonly unit: string | null;
  readonly pid: number | null;
  readonly identifier: string;
  readonly message: string;
  /** True when journalctl left the message out (`MESSAGE: null`, a field over 4096 bytes without --all). */
  readonly truncated?: true;
}

function field(value: unknown): string | null {
  if (typeof value === "string") return value;
  // journald encodes non-UTF-8 or non-printable fields as byte arrays and repeated fields as arrays.
  if (Array.isArray(value)) {
    if (value.every((b) => typeof b === "number")) return Buffer.from(value as number[]).toString("utf8");
    const first: unknown = value[0];
    return typeof first === "string" ? first : null;
  }
  return null;
}

/** A message as a person reads it: colour and cursor escapes removed, carriage returns as line ends. */
export function cleanMessage(text: string): string {
  let out = "";
  for (const ch of stripVTControlCharacters(text).replace(/\r\n?/g, "\n")) {
    const code = ch.charCodeAt(0);
    // Other control characters (bell, backspace, NUL) carry nothing a person reads.
    if (code === 9 || code === 10 || (code >= 32 && code !== 127)) out += ch;
  }
  return out;
}

/** Cgroup units that stand for systemd itself (PID 1 or a user manager), not for the service a record is about. */
function isManager(unit: string | null, pid: number): boolean {
  return unit === null || unit === "init.scope" || pid === 1 || /^user@\d+\.service$/.test(unit);
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
  const cgroupUnit = field(o["_SYSTEMD_UNIT"]);
  // systemd writes its notes about a unit (OOM kill, exit status, start limit) from its own cgroup and
  // names the unit in UNIT= (system manager) or USER_UNIT= (user manager).
  const about = field(o["UNIT"]) ?? field(o["USER_UNIT"]);
  const unit = about !== null && isManager(cgroupUnit, pid) ? about : (cgroupUnit ?? about);
  const message = field(o["MESSAGE"]);
  return {
    at: Math.floor(us / 1000),
    priority: Number.isInteger(priority) ? priority : 6,
    unit,
    pid: Number.isInteger(pid) && pid > 0 ? pid : null,
    identifier: field(o["SYSLOG_IDENTIFIER"]) ?? field(o["_COMM"]) ?? "",
    message: message === null ? "" : cleanMessage(message),
    ...(o["MESSAGE"] === null ? { truncated: true as const } : {}),
  };
}
