import { env, evictDurableObject, runDurableObjectAlarm, runInDurableObject, SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { Env } from "../../edge/workers/env.ts";

const ADMIN = { authorization: "Bearer test-admin-token-0000" };
const bindings = env as unknown as Env;

type Frame = { type: string; id?: string; [k: string]: unknown };

/** Opens a sidecar socket into the Durable Object through the Worker, as a real sidecar would. */
async function connectSidecar(
  vm: string,
  key: string | null,
): Promise<{ status: number; ws?: WebSocket; frames: Frame[]; next: (type: string) => Promise<Frame> }> {
  const headers: Record<string, string> = { upgrade: "websocket" };
  if (key !== null) headers.authorization = `Bearer ${key}`;
  const res = await SELF.fetch(`http://voxops.test/sidecar?vm=${vm}`, { headers });
  const frames: Frame[] = [];
  const waiting: { type: string; resolve: (f: Frame) => void }[] = [];
  const ws = res.webSocket ?? undefined;
  if (ws) {
    ws.accept();
    ws.addEventListener("message", (e) => {
      const frame = JSON.parse(String(e.data)) as Frame;
      const i = waiting.findIndex((w) => w.type === frame.type);
      if (i >= 0) waiting.splice(i, 1)[0]!.resolve(frame);
      else frames.push(frame);
    });
  }
  const next = (type: string): Promise<Frame> => {
    const i = frames.findIndex((f) => f.type === type);
    if (i >= 0) return Promise.resolve(frames.splice(i, 1)[0]!);
    return new Promise((resolve) => waiting.push({ type, resolve }));
  };
  return { status: res.status, ...(ws ? { ws } : {}), frames, next };
}

const hello = (vm: string) =>
  JSON.stringify({
    type: "hello",
    v: 1,
    vm,
    version: "test",
    capabilities: ["status"],
    services: [],
    startedAt: Date.now(),
  });
const heartbeat = () =>
  JSON.stringify({
    type: "heartbeat",
    at: Date.now(),
    figures: {
      uptimeS: 100,
      load: [0.5, 0.4, 0.3],
      memory: { totalB: 1e9, availableB: 6e8 },
      disk: { path: "/", totalB: 5e10, freeB: 2e10 },
    },
    failedUnits: [],
    peers: [],
  });

function fleetStub() {
  return bindings.FLEET.get(bindings.FLEET.idFromName("fleet"));
}

describe("the fleet Durable Object in workerd", () => {
  it("refuses sidecars with a missing or forged key, and audits both", async () => {
    const missing = await connectSidecar("vm1", null);
    expect(missing.status).toBe(401);
    const forged = await connectSidecar("vm1", "not-the-key-of-vm1");
    expect(forged.status).toBe(403);
    const wrongVm = await connectSidecar("vm2", "test-key-vm1");
    expect(wrongVm.status).toBe(403);
    const res = await SELF.fetch("http://voxops.test/agent/audit?limit=10", { headers: ADMIN });
    const { records } = (await res.json()) as {
      records: { action: string; outcome: string; detail: string }[];
    };
    const refused = records.filter((r) => r.action === "sidecar-connect" && r.outcome === "refused");
    expect(refused.map((r) => r.detail)).toEqual(
      expect.arrayContaining([
        expect.stringContaining("no credential"),
        expect.stringContaining("wrong credential"),
      ]),
    );
    expect(JSON.stringify(records)).not.toContain("not-the-key-of-vm1");
  });

  it("routes an API command to the sidecar socket and the result back", async () => {
    const side = await connectSidecar("vm1", "test-key-vm1");
    expect(side.status).toBe(101);
    side.ws!.send(hello("vm1"));
    side.ws!.send(heartbeat());
    const pending = SELF.fetch("http://voxops.test/agent/commands", {
      method: "POST",
      headers: { ...ADMIN, "content-type": "application/json" },
      body: JSON.stringify({ vm: "vm1", action: "status", args: {} }),
    });
    const command = await side.next("command");
    expect(command).toMatchObject({ type: "command", action: "status" });
    side.ws!.send(JSON.stringify({ type: "ack", id: command.id, of: "command" }));
    side.ws!.send(JSON.stringify({ type: "result", id: command.id, ok: true, output: { uptimeS: 100 } }));
    const res = await pending;
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      status: "ok",
      results: [{ vm: "vm1", outcome: { ok: true, action: "status", output: { uptimeS: 100 } } }],
    });
    expect(await side.next("ack")).toMatchObject({ id: command.id, of: "result" });

    const status = await SELF.fetch("http://voxops.test/agent/vm/status", { headers: ADMIN });
    const { vms } = (await status.json()) as {
      vms: { vm: string; connected: boolean; figures: { load: number[] } | null }[];
    };
    expect(vms.find((v) => v.vm === "vm1")).toMatchObject({
      connected: true,
      figures: { load: [0.5, 0.4, 0.3] },
    });
    side.ws!.close(1000, "done");
  });

  it("answers garbage frames with error frames and keeps the socket", async () => {
    const side = await connectSidecar("vm2", "test-key-vm2");
    side.ws!.send("{not json");
    expect(await side.next("error")).toMatchObject({ code: "bad-json" });
    side.ws!.send(JSON.stringify({ type: "result", id: "x1" }));
    expect(await side.next("error")).toMatchObject({ code: "invalid-frame", ref: "x1" });
    side.ws!.send(
      JSON.stringify({ type: "hello", v: 1, vm: "vm1", version: "t", capabilities: [], startedAt: 1 }),
    );
    expect(await side.next("error")).toMatchObject({ code: "wrong-vm" });
  });

  it("refuses API calls without a token", async () => {
    const res = await SELF.fetch("http://voxops.test/agent/health");
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ error: "unauthorized" });
  });

  it("expires overdue commands from its alarm and keeps the alarm going while sidecars are linked", async () => {
    const side = await connectSidecar("vm1", "test-key-vm1");
    side.ws!.send(hello("vm1"));
    const stub = fleetStub();
    await runInDurableObject(stub, (_instance, state) => {
      state.storage.sql.exec(
        "INSERT INTO commands (id, vm, action, args, actor, created_at, deadline, state) VALUES ('overdue1', 'vm1', 'status', '{}', ?, ?, ?, 'sent')",
        JSON.stringify({ kind: "api", id: "t", role: "admin" }),
        Date.now() - 60_000,
        Date.now() - 1_000,
      );
    });
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    await runInDurableObject(stub, async (_instance, state) => {
      const row = state.storage.sql.exec("SELECT state FROM commands WHERE id = 'overdue1'").one();
      expect(row.state).toBe("expired");
      const audit = state.storage.sql.exec("SELECT outcome FROM audit WHERE ref = 'overdue1'").toArray();
      expect(audit.map((a) => a.outcome)).toContain("timeout");
      expect(await state.storage.getAlarm()).not.toBeNull();
    });
    // A second run of the same alarm finds nothing new to expire and audits nothing twice.
    await runDurableObjectAlarm(stub);
    await runInDurableObject(stub, (_instance, state) => {
      expect(state.storage.sql.exec("SELECT COUNT(*) AS n FROM audit WHERE ref = 'overdue1'").one().n).toBe(
        1,
      );
    });
  });

  it("after an eviction, reports VMs whose sockets did not survive as offline", async () => {
    // A fresh instance of the class (the Worker routes to "fleet"; this one holds no test sockets).
    const stub = bindings.FLEET.get(bindings.FLEET.idFromName("eviction-test"));
    await runInDurableObject(stub, (_instance, state) => {
      state.storage.sql.exec(
        "INSERT INTO vms (name, connected, conn_id, connected_at, last_seen) VALUES ('vm2', 1, 'ghost-connection', ?, ?) ON CONFLICT(name) DO UPDATE SET connected = 1, conn_id = 'ghost-connection'",
        Date.now(),
        Date.now(),
      );
    });
    await evictDurableObject(stub);
    const res = await stub.fetch("http://voxops.test/agent/vm/status?vm=vm2", { headers: ADMIN });
    const { vms } = (await res.json()) as { vms: { vm: string; connected: boolean }[] };
    expect(vms).toEqual([expect.objectContaining({ vm: "vm2", connected: false })]);
  });
});
