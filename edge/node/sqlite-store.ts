/** The Node host's embedded store: node:sqlite behind the controller's SqlStore port. */
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { DatabaseSync } from "node:sqlite";
import type { SqlStore, SqlValue } from "../core/store.ts";

/** Opens (creating if needed) a SQLite file; ":memory:" for a throwaway store. */
export function openSqliteStore(path: string): SqlStore & { close(): void } {
  if (path !== ":memory:") mkdirSync(dirname(path), { recursive: true });
  const db = new DatabaseSync(path);
  db.exec("PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA busy_timeout = 2000;");
  const statements = new Map<string, ReturnType<DatabaseSync["prepare"]>>();
  return {
    exec<Row extends Record<string, SqlValue>>(sql: string, ...params: SqlValue[]): Row[] {
      let statement = statements.get(sql);
      if (!statement) {
        statement = db.prepare(sql);
        statements.set(sql, statement);
      }
      return statement.all(...params) as Row[];
    },
    close: () => db.close(),
  };
}
