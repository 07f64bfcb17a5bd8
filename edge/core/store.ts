/**
 * Storage as a port: a synchronous SQL executor. The Durable Object's SQLite (`ctx.storage.sql`) and
 * Node's `node:sqlite` both provide one, so the controller keeps one schema on both hosts.
 */

/** A value SQLite can bind. */
export type SqlValue = string | number | null;

/** Runs one SQL statement with positional `?` parameters and returns its rows. */
export interface SqlStore {
  exec<Row extends Record<string, SqlValue> = Record<string, SqlValue>>(
    sql: string,
    ...params: SqlValue[]
  ): Row[];
}

const schema = [
  `CREATE TABLE IF NOT EXISTS audit (
     seq INTEGER PRIMARY KEY AUTOINCREMENT,
     at INTEGER NOT NULL, actor_kind TEXT NOT NULL, actor_id TEXT NOT NULL,
     action TEXT NOT NULL, target TEXT NOT NULL, args TEXT NOT NULL,
     outcome TEXT NOT NULL, detail TEXT NOT NULL, ref TEXT)`,
  // Counts of refusals of unauthenticated callers, one audit record per source, reason and window.
  `CREATE TABLE IF NOT EXISTS refusals (
     seq INTEGER PRIMARY KEY, key TEXT NOT NULL, first_at INTEGER NOT NULL, last_at INTEGER NOT NULL,
     count INTEGER NOT NULL)`,
  `CREATE INDEX IF NOT EXISTS refusals_key ON refusals (key, first_at)`,
  `CREATE INDEX IF NOT EXISTS refusals_last ON refusals (last_at)`,
  `CREATE TABLE IF NOT EXISTS commands (
     id TEXT PRIMARY KEY, vm TEXT NOT NULL, action TEXT NOT NULL, args TEXT NOT NULL,
     actor TEXT NOT NULL, created_at INTEGER NOT NULL, deadline INTEGER NOT NULL,
     state TEXT NOT NULL, result TEXT)`,
  `CREATE INDEX IF NOT EXISTS commands_pending ON commands (vm, state)`,
  `CREATE TABLE IF NOT EXISTS vms (
     name TEXT PRIMARY KEY, connected INTEGER NOT NULL, conn_id TEXT, connected_at INTEGER,
     last_seen INTEGER, hello TEXT, figures TEXT, failed_units TEXT, peers TEXT)`,
  `CREATE TABLE IF NOT EXISTS events (
     id TEXT PRIMARY KEY, vm TEXT NOT NULL, kind TEXT NOT NULL, at INTEGER NOT NULL, data TEXT NOT NULL)`,
  `CREATE TABLE IF NOT EXISTS kv (key TEXT PRIMARY KEY, value TEXT NOT NULL, expires INTEGER)`,
  `CREATE TABLE IF NOT EXISTS confirmations (
     id TEXT PRIMARY KEY, actor_kind TEXT NOT NULL, actor_id TEXT NOT NULL, request TEXT NOT NULL,
     created_at INTEGER NOT NULL, expires_at INTEGER NOT NULL, state TEXT NOT NULL)`,
];

/** Creates the controller's tables if they are missing; safe to run at every start. */
export function migrate(store: SqlStore): void {
  for (const statement of schema) store.exec(statement);
}
