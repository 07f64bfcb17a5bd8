/** The bot's update dedupe and per-user settings, kept in the controller's SQL store. */
import type { SqlStore } from "../core/store.ts";
import type { UpdateDedupe } from "./update-dedupe.ts";
import type { UserPreference, UserPreferences } from "./user-preferences.ts";

const DEDUPE_TTL_MS = 7 * 24 * 3600_000;

/** Creates persistent dedupe and preferences over the `kv` table. */
export function createSqlBotState(
  store: SqlStore,
  now: () => number,
): { dedupe: UpdateDedupe; preferences: UserPreferences } {
  return {
    dedupe: {
      async seen(updateId) {
        const inserted = store.exec(
          "INSERT INTO kv (key, value, expires) VALUES (?, '1', ?) ON CONFLICT(key) DO NOTHING RETURNING key",
          `tg-update:${updateId}`,
          now() + DEDUPE_TTL_MS,
        );
        if (updateId % 100 === 0)
          store.exec("DELETE FROM kv WHERE key LIKE 'tg-update:%' AND expires < ?", now());
        return inserted.length === 0;
      },
    },
    preferences: {
      async get(userId) {
        const row = store.exec<{ value: string }>(
          "SELECT value FROM kv WHERE key = ?",
          `tg-pref:${userId}`,
        )[0];
        return row ? (JSON.parse(row.value) as UserPreference) : {};
      },
      async update(userId, patch) {
        const current = store.exec<{ value: string }>(
          "SELECT value FROM kv WHERE key = ?",
          `tg-pref:${userId}`,
        )[0];
        const next = { ...(current ? (JSON.parse(current.value) as UserPreference) : {}), ...patch };
        store.exec(
          "INSERT INTO kv (key, value, expires) VALUES (?, ?, NULL) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
          `tg-pref:${userId}`,
          JSON.stringify(next),
        );
      },
    },
  };
}
