/** The append-only audit log: who asked for what, on which target, and how it ended. */

import { redact } from "../../protocol/redact.ts";
import type { Actor } from "./actors.ts";
import type { SqlStore } from "./store.ts";
import { cleanUntrusted } from "./untrusted-text.ts";

export { redact } from "../../protocol/redact.ts";

/** One audit record as written. */
export interface AuditEntry {
  readonly actor: Pick<Actor, "kind" | "id">;
  readonly action: string;
  readonly target: string;
  readonly args?: Record<string, unknown>;
  readonly outcome: string;
  readonly detail?: string;
  /** The command, confirmation or event this record belongs to. */
  readonly ref?: string;
  /** How long the command took, for the operations log (not stored in the audit). */
  readonly durationMs?: number;
}

/**
 * A refusal of someone not authenticated (a sidecar upgrade with a bad key, a bad API token, a Telegram
 * stranger, a webhook call without the secret). `source` is who it came from (an address, a user id).
 */
export interface RefusalEntry extends AuditEntry {
  readonly source: string;
  /** A fixed phrase (never the caller's text) that, with action and source, identifies a repeat. */
  readonly reason: string;
}

/** One audit record as read back. */
export interface AuditRecord extends AuditEntry {
  readonly seq: number;
  readonly at: number;
  /** For an aggregated refusal: how many times it happened, and when last. */
  readonly count?: number;
  readonly lastAt?: number;
}

/**
 * Appends and reads audit records. An authenticated record is never changed or deleted; refusals of
 * unauthenticated callers are cleaned, clipped, counted into one record per source, reason and hour,
 * and pruned (kept 30 days, at most MAX_REFUSAL_RECORDS), so nobody without a key can grow the log.
 */
export interface Audit {
  append(entry: AuditEntry): void;
  refusal(entry: RefusalEntry): void;
  recent(limit?: number, filter?: { target?: string; action?: string }): AuditRecord[];
}

/** Repeats of one refusal from one source within this window count into one record. */
export const REFUSAL_WINDOW_MS = 3_600_000;
/** Refusal records are kept this long, and at most this many. */
export const KEEP_REFUSALS_MS = 30 * 86_400_000;
export const MAX_REFUSAL_RECORDS = 2000;

type AuditRow = {
  seq: number;
  at: number;
  actor_kind: string;
  actor_id: string;
  action: string;
  target: string;
  args: string;
  outcome: string;
  detail: string;
  ref: string | null;
  count: number | null;
  last_at: number | null;
};

/** Creates the audit log over the controller's store; `secrets` are scrubbed from every record. */
export function createAudit(options: {
  store: SqlStore;
  now: () => number;
  secrets?: () => readonly string[];
}): Audit {
  const { store, now } = options;
  const secrets = options.secrets ?? (() => []);
  const append = (entry: AuditEntry): number => {
    const list = secrets();
    const [row] = store.exec<{ seq: number }>(
      "INSERT INTO audit (at, actor_kind, actor_id, action, target, args, outcome, detail, ref) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING seq",
      now(),
      entry.actor.kind,
      String(redact(entry.actor.id, list)),
      entry.action,
      entry.target,
      JSON.stringify(redact(entry.args ?? {}, list)),
      entry.outcome,
      String(redact(entry.detail ?? "", list)),
      entry.ref ?? null,
    );
    return row?.seq ?? 0;
  };
  const pruneRefusals = (at: number): void => {
    const old = "SELECT seq FROM refusals WHERE last_at < ?";
    store.exec(`DELETE FROM audit WHERE seq IN (${old})`, at - KEEP_REFUSALS_MS);
    store.exec("DELETE FROM refusals WHERE last_at < ?", at - KEEP_REFUSALS_MS);
    const over = "SELECT seq FROM refusals ORDER BY last_at DESC LIMIT -1 OFFSET ?";
    store.exec(`DELETE FROM audit WHERE seq IN (${over})`, MAX_REFUSAL_RECORDS);
    store.exec(`DELETE FROM refusals WHERE seq IN (${over})`, MAX_REFUSAL_RECORDS);
  };
  return {
    append(entry) {
      append(entry);
    },
    refusal(entry) {
      const at = now();
      const clean = {
        actor: { kind: entry.actor.kind, id: cleanUntrusted(entry.actor.id, 80) },
        action: entry.action,
        target: cleanUntrusted(entry.target, 64),
        outcome: cleanUntrusted(entry.outcome, 80),
        detail: cleanUntrusted(entry.detail ?? "", 200),
      };
      const key = JSON.stringify([clean.action, cleanUntrusted(entry.source, 80), entry.reason]);
      const [open] = store.exec<{ seq: number }>(
        "SELECT seq FROM refusals WHERE key = ? AND first_at > ? ORDER BY first_at DESC LIMIT 1",
        key,
        at - REFUSAL_WINDOW_MS,
      );
      if (open) {
        store.exec("UPDATE refusals SET count = count + 1, last_at = ? WHERE seq = ?", at, open.seq);
        return;
      }
      const seq = append(clean);
      store.exec(
        "INSERT INTO refusals (seq, key, first_at, last_at, count) VALUES (?, ?, ?, ?, 1)",
        seq,
        key,
        at,
        at,
      );
      pruneRefusals(at);
    },
    recent(limit = 50, filter = {}) {
      const where: string[] = [];
      const params: (string | number)[] = [];
      if (filter.target !== undefined) {
        where.push("target = ?");
        params.push(filter.target);
      }
      if (filter.action !== undefined) {
        where.push("action = ?");
        params.push(filter.action);
      }
      const sql = `SELECT audit.*, refusals.count AS count, refusals.last_at AS last_at FROM audit LEFT JOIN refusals ON refusals.seq = audit.seq ${where.length > 0 ? `WHERE ${where.join(" AND ")}` : ""} ORDER BY audit.seq DESC LIMIT ?`;
      return store.exec<AuditRow>(sql, ...params, Math.min(Math.max(limit, 1), 1000)).map((r) => ({
        seq: r.seq,
        at: r.at,
        actor: { kind: r.actor_kind as Actor["kind"], id: r.actor_id },
        action: r.action,
        target: r.target,
        args: JSON.parse(r.args) as Record<string, unknown>,
        outcome: r.outcome,
        detail: r.detail,
        ...(r.ref === null ? {} : { ref: r.ref }),
        ...(r.count === null ? {} : { count: r.count, lastAt: r.last_at ?? r.at }),
      }));
    },
  };
}
