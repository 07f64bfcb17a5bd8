/**
 * The fleet Durable Object tells the watchdog when it restarted rather than woke: an object built
 * again over sockets that survived (a hibernation wake) is no controller start; one built after the
 * sockets the store held as connected were lost (a deploy, an eviction) is, so the watchdog does not
 * count the sidecars' redial as their silence. Runs in workerd with the real object and SQLite.
 */
import { env, runInDurableObject, SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { Runtime } from "../../edge/runtime.ts";
import type { Env } from "../../edge/workers/env.ts";
import { Fleet } from "../../edge/workers/fleet-object.ts";

const bindings = env as unknown as Env;

/** The watchdog's saved controller start, once the runtime's pending work has been saved. */
async function savedStart(fleet: Fleet, sql: SqlStorage): Promise<number | undefined> {
  await (fleet as unknown as { runtime: Runtime }).runtime.nextWakeAt();
  const row = sql.exec("SELECT value FROM kv WHERE key = 'watchdog:state'").toArray()[0];
  return (JSON.parse(String(row?.["value"])) as { controllerStartedAt?: number }).controllerStartedAt;
}

describe("a controller start of the fleet Durable Object", () => {
  it("is told to the watchdog after lost sockets, and not after a wake that kept them", async () => {
    const res = await SELF.fetch("http://voxops.test/sidecar?vm=vm2", {
      headers: { upgrade: "websocket", authorization: "Bearer test-key-vm2" },
    });
    const ws = res.webSocket;
    if (!ws) throw new Error(`no socket (${res.status})`);
    ws.accept();
    const stub = bindings.FLEET.get(bindings.FLEET.idFromName("fleet"));
    await runInDurableObject(stub, async (instance, state) => {
      const sql = state.storage.sql;
      // The object's first start counts as one.
      expect(await savedStart(instance as unknown as Fleet, sql)).toEqual(expect.any(Number));
      // Marks the saved start so a second one shows (workerd's clock stands still inside a request).
      sql.exec(
        "UPDATE kv SET value = json_set(value, '$.controllerStartedAt', 1) WHERE key = 'watchdog:state'",
      );

      // Built again with vm2's socket still accepted: a wake, not a start.
      const woke = new Fleet(state, bindings);
      expect(await savedStart(woke, sql)).toBe(1);

      // The store says vm1 was connected, but no socket of vm1 survived: a restart.
      sql.exec(
        "INSERT INTO vms (name, connected, conn_id, connected_at, last_seen) VALUES ('vm1', 1, 'lost-conn', 1, 1) ON CONFLICT(name) DO UPDATE SET connected = 1, conn_id = 'lost-conn'",
      );
      const restarted = new Fleet(state, bindings);
      expect(await savedStart(restarted, sql)).toBeGreaterThan(1);
    });
    ws.close(1000, "done");
  });
});
