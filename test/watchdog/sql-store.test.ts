import { describe, expect, it } from "vitest";
import { migrate } from "../../edge/core/store.ts";
import { openSqliteStore } from "../../edge/node/sqlite-store.ts";
import { createWatchdogState } from "../../edge/watchdog/watchdog-state.ts";
import { createSqlWatchdogStore } from "../../edge/watchdog/watchdog-store.ts";

describe("createSqlWatchdogStore over node:sqlite", () => {
  it("keeps the state and writes a fence record once per epoch", async () => {
    const sql = openSqliteStore(":memory:");
    migrate(sql);
    const store = createSqlWatchdogStore(sql);
    expect(await store.loadState()).toBeUndefined();
    const state = createWatchdogState(["vm1", "vm2"], 1_000);
    await store.saveState(state);
    state.lastInputAt = 2_000;
    await store.saveState(state);
    expect(await store.loadState()).toEqual(state);

    const actor = { kind: "watchdog", id: "watchdog" } as const;
    const first = { vm: "vm1", epoch: 3, step: "RESET", at: 5_000, reason: "dead", actor } as const;
    expect(await store.putFence(first)).toEqual(first);
    // A retried alarm writes the record again with a later time; the stored one (and its token) wins.
    expect(await store.putFence({ ...first, at: 9_000 })).toEqual(first);
    expect(await store.getFence("vm1", 3)).toEqual(first);
    expect(await store.getFence("vm1", 4)).toBeUndefined();
    sql.close();
  });
});
