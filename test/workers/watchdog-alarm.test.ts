/**
 * The watchdog inside the Durable Object in workerd: a reboot requested from an alert button goes
 * through the watchdog's executor (fence record first, then the sidecar's `reboot`), and an alarm
 * that runs twice sends no second reboot: one command, one fence record.
 */
import { env, runDurableObjectAlarm, runInDurableObject, SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { Runtime } from "../../edge/runtime.ts";
import type { Env } from "../../edge/workers/env.ts";

type Frame = { type: string; id?: string; action?: string; [k: string]: unknown };
const bindings = env as unknown as Env;

describe("the watchdog in the fleet Durable Object", () => {
  it("reboots through the executor once, even when the alarm runs twice", async () => {
    const res = await SELF.fetch("http://voxops.test/sidecar?vm=vm2", {
      headers: { upgrade: "websocket", authorization: "Bearer test-key-vm2" },
    });
    const ws = res.webSocket;
    if (!ws) throw new Error(`no socket (${res.status})`);
    ws.accept();
    const commands: Frame[] = [];
    ws.addEventListener("message", (e) => {
      const frame = JSON.parse(String(e.data)) as Frame;
      if (frame.type !== "command" || !frame.id) return;
      commands.push(frame);
      ws.send(JSON.stringify({ type: "ack", id: frame.id, of: "command" }));
      ws.send(JSON.stringify({ type: "result", id: frame.id, ok: true, output: { rebooting: true } }));
    });
    ws.send(
      JSON.stringify({
        type: "hello",
        v: 1,
        vm: "vm2",
        version: "t",
        capabilities: ["reboot"],
        services: [],
        startedAt: Date.now(),
      }),
    );
    ws.send(
      JSON.stringify({
        type: "heartbeat",
        at: Date.now(),
        figures: {
          uptimeS: 500,
          load: [0, 0, 0],
          memory: { totalB: 1, availableB: 1 },
          disk: { path: "/", totalB: 1, freeB: 1 },
        },
        failedUnits: [],
        peers: [],
      }),
    );
    const stub = bindings.FLEET.get(bindings.FLEET.idFromName("fleet"));
    const reply = await runInDurableObject(stub, async (instance) => {
      const runtime = (instance as unknown as { runtime: Runtime }).runtime;
      const admin = { kind: "telegram", id: "1", role: "admin" } as const;
      // The alert's button asks first, like any reboot; the confirmation goes through the executor.
      const asked = await runtime.desk.handleButton({ actor: admin, data: "wd:reboot:vm2" });
      const confirm = asked.buttons?.flat().find((b) => b.data.startsWith("cf:"));
      if (!confirm) throw new Error(`expected a confirmation, got: ${asked.text}`);
      return runtime.desk.handleButton({ actor: admin, data: confirm.data });
    });
    expect(reply.text).toMatch(/systemctl reboot through the sidecar/);
    for (let i = 0; i < 50 && commands.length === 0; i++) await new Promise((r) => setTimeout(r, 20));
    await runDurableObjectAlarm(stub);
    await runDurableObjectAlarm(stub);
    await new Promise((r) => setTimeout(r, 100));
    expect(commands.filter((c) => c.action === "reboot")).toHaveLength(1);
    const fences = await runInDurableObject(stub, async (_instance, state) =>
      state.storage.sql.exec("SELECT key FROM kv WHERE key LIKE 'watchdog:fence:%'").toArray(),
    );
    expect(fences).toEqual([{ key: "watchdog:fence:vm2:1" }]);
    ws.close();
  });
});
