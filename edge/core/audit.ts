/** The append-only audit log: who asked for what, on which target, and how it ended. */
import type { Actor } from "./actors.ts";
import type { SqlStore } from "./store.ts";

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

/** One audit record as read back. */
export interface AuditRecord extends AuditEntry {
  readonly seq: number;
  readonly at: number;
}

/** Appends and reads audit records; there is no way to change or delete one. */
export interface Audit {
  append(entry: AuditEntry): void;
  recent(limit?: number, filter?: { target?: string; action?: string }): AuditRecord[];
}

const secretKey = /token|secret|password|passwd|credential|private|key$|^key|content|patch/i;

/** Replaces secret-looking fields and any known secret value with a marker. */
export function redact(value: unknown, secrets: readonly string[] = [], depth = 0): unknown {
  if (typeof value === "string") {
    let text = value;
    for (const s of secrets) if (s.length >= 6 && text.includes(s)) text = text.replaceAll(s, "[redacted]");
    return text.length > 500 ? `${text.slice(0, 500)}…` : text;
  }
  if (depth > 4 || value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) return value.slice(0, 50).map((v) => redact(v, secrets, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    out[k] =
      secretKey.test(k) && v !== undefined
        ? `[redacted ${typeof v === "string" ? v.length : "?"} chars]`
        : redact(v, secrets, depth + 1);
  }
  return out;
}

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
};

/** Creates the audit log over the controller's store; `secrets` are scrubbed from every record. */
export function createAudit(options: {
  store: SqlStore;
  now: () => number;
  secrets?: () => readonly string[];
}): Audit {
  const { store, now } = options;
  const secrets = options.secrets ?? (() => []);
  return {
    append(entry) {
      const list = secrets();
      store.exec(
        "INSERT INTO audit (at, actor_kind, actor_id, action, target, args, outcome, detail, ref) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
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
      const sql = `SELECT * FROM audit ${where.length > 0 ? `WHERE ${where.join(" AND ")}` : ""} ORDER BY seq DESC LIMIT ?`;
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
      }));
    },
  };
}
