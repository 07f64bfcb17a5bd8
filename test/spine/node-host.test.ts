import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { readConfig } from "../../edge/core/config.ts";
import { type NodeHost, startNodeHost } from "../../edge/node/server.ts";
import { type Child, spawnNode, stopAll } from "../support/child.ts";
import { holdPort } from "../support/port-holder.ts";
import { waitFor } from "../support/wait-for.ts";

const ADMIN = "spine-admin-token-0001";
const VIEWER = "spine-viewer-token-001";
const KEY1 = "spine-key-of-vm1-000001";
const KEY2 = "spine-key-of-vm2-000002";
const config = readConfig({
  VOXOPS_API_TOKENS: `${ADMIN}:admin,${VIEWER}:viewer`,
  VOXOPS_SIDECAR_KEYS: `vm1=${KEY1},vm2=${KEY2}`,
});

let dir: string;
let host: NodeHost | null = null;

async function startHost(port = 0): Promise<NodeHost> {
  host = await startNodeHost({ config, port, dbPath: join(dir, "controller.db"), defaultTimeoutMs: 20_000 });
  return host;
}

async function api(
  path: string,
  init: { method?: string; body?: unknown; token?: string } = {},
): Promise<{ status: number; body: any }> {
  const res = await fetch(`${host!.url}${path}`, {
    method: init.method ?? "GET",
    headers: { authorization: `Bearer ${init.token ?? ADMIN}`, "content-type": "application/json" },
    ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
  });
  return { status: res.status, body: await res.json() };
}

function sidecar(
  vm: string,
  key: string,
  extra: Record<string, string> = {},
  script = "bin/voxops.js",
): Child {
  const args =
    script === "bin/voxops.js"
      ? ["sidecar", "--controller", host!.url, "--vm", vm, "--state-dir", join(dir, `state-${vm}`)]
      : [];
  return spawnNode(script, args, {
    VOXOPS_SIDECAR_KEY: key,
    VOXOPS_HEARTBEAT_S: "0.5",
    VOXOPS_VM: vm,
    VOXOPS_CONTROLLERS: host!.url,
    VOXOPS_STATE_DIR: join(dir, `state-${vm}`),
    ...extra,
  });
}

function countingSidecar(vm: string, slowMs: number): { child: Child; runs: () => string[] } {
  const countFile = join(dir, `runs-${vm}.txt`);
  const child = sidecar(
    vm,
    vm === "vm1" ? KEY1 : KEY2,
    { COUNT_FILE: countFile, SLOW_MS: String(slowMs) },
    "test/spine/counting-sidecar.ts",
  );
  return {
    child,
    runs: () =>
      existsSync(countFile) ? readFileSync(countFile, "utf8").trim().split("\n").filter(Boolean) : [],
  };
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "voxops-spine-"));
});
afterEach(async () => {
  await stopAll();
  await host?.close();
  host = null;
  rmSync(dir, { recursive: true, force: true });
});
afterAll(stopAll);

describe("Node host with real sidecar processes", () => {
  it("runs status end to end and reports the VM in health and status", async () => {
    await startHost();
    const side = sidecar("vm1", KEY1);
    await waitFor(() => host!.controller.connected("vm1"), { what: "vm1 to connect" });
    const res = await api("/agent/commands", { method: "POST", body: { vm: "vm1", action: "status" } });
    expect(res.status).toBe(200);
    const output = res.body.results[0].outcome.output;
    expect(output.figures.memory.totalB).toBeGreaterThan(0);
    expect(output.figures.load).toHaveLength(3);
    const health = await api("/agent/health");
    expect(health.body).toMatchObject({ ok: true, sidecars: [{ vm: "vm1" }] });
    const status = await waitFor(async () => {
      const s = await api("/agent/vm/status");
      return s.body.vms.find((v: any) => v.vm === "vm1" && v.figures) ? s : null;
    });
    expect(status.body.vms.find((v: any) => v.vm === "vm1")).toMatchObject({ connected: true });
    const audit = await api("/agent/audit?limit=20");
    const outcomes = audit.body.records.filter((r: any) => r.action === "status").map((r: any) => r.outcome);
    expect(outcomes).toEqual(expect.arrayContaining(["dispatched", "ok"]));
    expect(side.stderr()).not.toContain(KEY1);
  });

  it("refuses forged and missing sidecar credentials and audits them", async () => {
    await startHost();
    const forged = sidecar("vm1", "forged-key-000000000000");
    await waitFor(() => forged.stderr().includes("controller refused the sidecar"), {
      what: "the forged sidecar to be refused",
    });
    expect(host!.controller.connected("vm1")).toBe(false);
    const noKey = await new Promise<number>((resolve) => {
      const ws = new WebSocket(`${host!.url.replace("http", "ws")}/sidecar?vm=vm1`);
      ws.on("unexpected-response", (_req, res) => resolve(res.statusCode ?? 0));
      ws.on("open", () => resolve(101));
    });
    expect(noKey).toBe(401);
    const audit = await api("/agent/audit?limit=50");
    const refused = audit.body.records.filter(
      (r: any) => r.action === "sidecar-connect" && r.outcome === "refused",
    );
    expect(refused.length).toBeGreaterThanOrEqual(2);
    expect(JSON.stringify(audit.body)).not.toContain("forged-key-000000000000");
  });

  it("answers garbage frames with error frames without dropping the link", async () => {
    await startHost();
    const ws = new WebSocket(`${host!.url.replace("http", "ws")}/sidecar?vm=vm2`, {
      headers: { authorization: `Bearer ${KEY2}` },
    });
    const frames: any[] = [];
    ws.on("message", (d) => frames.push(JSON.parse(d.toString())));
    await new Promise((r) => ws.once("open", r));
    ws.send("\u0000\u0001 garbage");
    ws.send(JSON.stringify({ type: "heartbeat", at: "yesterday" }));
    ws.send(JSON.stringify({ type: "command", id: "c1", action: "reboot", args: {}, deadline: 1 }));
    await waitFor(() => frames.length >= 3, { what: "three error frames" });
    expect(frames.map((f) => f.code)).toEqual(["bad-json", "invalid-frame", "unexpected-frame"]);
    expect(ws.readyState).toBe(WebSocket.OPEN);
    expect(host!.controller.connected("vm2")).toBe(true);
    ws.close();
  });

  it("runs a command delivered twice only once, across a controller restart", async () => {
    const first = await startHost();
    const port = first.port;
    const { runs } = countingSidecar("vm1", 1500);
    await waitFor(() => host!.controller.connected("vm1"), { what: "vm1 to connect" });
    const pending = api("/agent/commands", {
      method: "POST",
      body: { vm: "vm1", action: "restart", args: { service: "web" } },
    }).catch(() => null);
    await waitFor(() => runs().length === 1, { what: "the command to start" });
    const id = (await api("/agent/audit?limit=5")).body.records.find(
      (r: any) => r.outcome === "dispatched",
    ).ref;
    await first.close();
    // Nothing else on the machine may take the port before the restart (test/support/port-holder.ts).
    const held = await holdPort(port);
    await pending;
    await held.release();
    await startHost(port);
    // The restarted controller redelivers the pending command; the sidecar must not run it again.
    const done = await waitFor(
      async () => {
        const c = await api(`/agent/commands/${id}`);
        return c.body.state === "done" ? c.body : null;
      },
      { timeoutMs: 20_000, what: "the result to arrive at the restarted controller" },
    );
    expect(done.result).toMatchObject({ ok: true, output: { restarted: "web" } });
    expect(runs()).toEqual(["web"]);
  });

  it("delivers a result produced while the controller was away", async () => {
    const first = await startHost();
    const port = first.port;
    const { runs } = countingSidecar("vm1", 800);
    await waitFor(() => host!.controller.connected("vm1"), { what: "vm1 to connect" });
    void api("/agent/commands", {
      method: "POST",
      body: { vm: "vm1", action: "restart", args: { service: "api" } },
    }).catch(() => null);
    await waitFor(() => runs().length === 1, { what: "the command to start" });
    const id = (await api("/agent/audit?limit=5")).body.records.find(
      (r: any) => r.outcome === "dispatched",
    ).ref;
    await first.close();
    const held = await holdPort(port);
    await new Promise((r) => setTimeout(r, 1500));
    await held.release();
    await startHost(port);
    const done = await waitFor(
      async () => {
        const c = await api(`/agent/commands/${id}`);
        return c.body.state === "done" ? c.body : null;
      },
      { timeoutMs: 20_000, what: "the stored result to be delivered" },
    );
    expect(done.result.ok).toBe(true);
    expect(runs()).toEqual(["api"]);
  });

  it("reports a command cut off by a sidecar crash as interrupted and never runs it twice", async () => {
    await startHost();
    const { child, runs } = countingSidecar("vm1", 3000);
    await waitFor(() => host!.controller.connected("vm1"), { what: "vm1 to connect" });
    const pending = api("/agent/commands", {
      method: "POST",
      body: { vm: "vm1", action: "restart", args: { service: "db" } },
    });
    await waitFor(() => runs().length === 1, { what: "the command to start" });
    await child.stop("SIGKILL");
    countingSidecar("vm1", 3000);
    const res = await pending;
    expect(res.status).toBe(502);
    expect(res.body.results[0].outcome).toMatchObject({ ok: false, error: { code: "interrupted" } });
    expect(runs()).toEqual(["db"]);
  });

  it("keeps roles: a viewer token reads but cannot restart", async () => {
    await startHost();
    sidecar("vm1", KEY1);
    await waitFor(() => host!.controller.connected("vm1"));
    expect(
      (await api("/agent/commands", { method: "POST", token: VIEWER, body: { vm: "vm1", action: "status" } }))
        .status,
    ).toBe(200);
    const denied = await api("/agent/commands", {
      method: "POST",
      token: VIEWER,
      body: { vm: "vm1", action: "restart", args: { service: "x" } },
    });
    expect(denied.status).toBe(403);
    const bad = await api("/agent/commands", {
      method: "POST",
      body: { vm: "vm1", action: "restart", args: { service: "x; rm -rf /" } },
    });
    expect(bad.status).toBe(422);
    expect(
      (await api("/agent/commands", { method: "POST", body: { vm: "vm9", action: "status" } })).status,
    ).toBe(422);
    const offline = await api("/agent/commands", { method: "POST", body: { vm: "vm2", action: "status" } });
    expect(offline.status).toBe(503);
    expect(offline.body.results[0].outcome.error.message).toContain("not connected");
    const unauth = await fetch(`${host!.url}/agent/health`);
    expect(unauth.status).toBe(401);
  });
});
