/**
 * Where the watchdog keeps its state and fence records: a port with an in-memory implementation
 * and one over the controller's SQL store (its `kv` table; the Durable Object's SQLite or
 * node:sqlite).
 */
import type { SqlStore } from "../core/store.ts";
import type { FenceRecord, WatchdogState } from "./watchdog-state.ts";

/** Storage of the watchdog's state and of fence records. */
export interface WatchdogStore {
  loadState(): Promise<WatchdogState | undefined>;
  saveState(state: WatchdogState): Promise<void>;
  /** Writes the record unless one exists for (vm, epoch); returns the record that is stored. */
  putFence(record: FenceRecord): Promise<FenceRecord>;
  getFence(vm: string, epoch: number): Promise<FenceRecord | undefined>;
}

/** A store in memory (tests, local runs); `snapshot`/`restore` let a test replay a crash. */
export function createMemoryWatchdogStore(): WatchdogStore & {
  snapshot(): string;
  restore(snapshot: string): void;
} {
  let state: string | undefined;
  let fences = new Map<string, string>();
  return {
    loadState: async () => (state === undefined ? undefined : (JSON.parse(state) as WatchdogState)),
    saveState: async (s) => {
      state = JSON.stringify(s);
    },
    async putFence(record) {
      const key = `${record.vm}:${record.epoch}`;
      if (!fences.has(key)) fences.set(key, JSON.stringify(record));
      return JSON.parse(fences.get(key) as string) as FenceRecord;
    },
    getFence: async (vm, epoch) => {
      const text = fences.get(`${vm}:${epoch}`);
      return text === undefined ? undefined : (JSON.parse(text) as FenceRecord);
    },
    snapshot: () => JSON.stringify({ state, fences: [...fences] }),
    restore(snapshot) {
      const parsed = JSON.parse(snapshot) as { state?: string; fences: [string, string][] };
      state = parsed.state;
      fences = new Map(parsed.fences);
    },
  };
}

const stateKey = "watchdog:state";
const fenceKey = (vm: string, epoch: number) => `watchdog:fence:${vm}:${epoch}`;

/** A store over the controller's SQL `kv` table (created by the controller's migration). */
export function createSqlWatchdogStore(sql: SqlStore): WatchdogStore {
  const read = (key: string): string | undefined =>
    sql.exec<{ value: string }>("SELECT value FROM kv WHERE key = ?", key)[0]?.value;
  return {
    loadState: async () => {
      const text = read(stateKey);
      return text === undefined ? undefined : (JSON.parse(text) as WatchdogState);
    },
    saveState: async (state) => {
      sql.exec(
        "INSERT INTO kv (key, value, expires) VALUES (?, ?, NULL) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        stateKey,
        JSON.stringify(state),
      );
    },
    putFence: async (record) => {
      const key = fenceKey(record.vm, record.epoch);
      sql.exec(
        "INSERT OR IGNORE INTO kv (key, value, expires) VALUES (?, ?, ?)",
        key,
        JSON.stringify(record),
        record.at + 172_800_000,
      );
      return JSON.parse(read(key) as string) as FenceRecord;
    },
    getFence: async (vm, epoch) => {
      const text = read(fenceKey(vm, epoch));
      return text === undefined ? undefined : (JSON.parse(text) as FenceRecord);
    },
  };
}
