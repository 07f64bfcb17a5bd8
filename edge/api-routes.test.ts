import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { benchInventory, createDeskBench, type DeskBench } from "../test/desk/desk-bench.ts";
import { mountOperations } from "./api-routes.ts";
import { createApp } from "./app.ts";
import type { Role } from "./core/actors.ts";

const ADMIN = "routes-admin-token-0001";
const ADMIN2 = "routes-admin-token-0002";
const VIEWER = "routes-viewer-token-001";
const SKIPPER = "routes-skipper-token-01";

let b: DeskBench;
let app: ReturnType<typeof createApp>;
beforeEach(() => {
  b = createDeskBench();
  b.connect("vm1");
  b.connect("vm2");
  app = createApp({
    controller: b.controller,
    apiTokens: new Map<string, Role>([
      [ADMIN, "admin"],
      [ADMIN2, "admin"],
      [VIEWER, "viewer"],
      [SKIPPER, "admin"],
    ]),
    skipConfirm: new Set([SKIPPER]),
    extend: (a) => mountOperations(a, { controller: b.controller, desk: b.desk, inventory: benchInventory }),
  });
});
afterEach(() => b.close());

async function call(
  path: string,
  init: { method?: string; body?: unknown; token?: string } = {},
): Promise<{ status: number; body: any }> {
  const res = await app.request(path, {
    method: init.method ?? "GET",
    headers: { authorization: `Bearer ${init.token ?? ADMIN}`, "content-type": "application/json" },
    ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
  });
  return { status: res.status, body: await res.json() };
}

describe("targets", () => {
  it("asks to name the vm for a service on two VMs, and names an unknown service", async () => {
    const two = await call("/agent/service/restart", { method: "POST", body: { service: "nginx" } });
    expect(two).toEqual({
      status: 422,
      body: {
        status: "invalid",
        error: "target",
        message: "The service nginx runs on vm1 and vm2: name the vm.",
      },
    });
    const none = await call("/agent/service/restart", { method: "POST", body: { service: "ghost" } });
    expect(none.status).toBe(422);
    expect(none.body.message).toMatch(/^No VM runs a service called "ghost"\. Known services: .*nginx/);
    expect(b.sent).toEqual([]);
  });

  it("runs a service on the one VM that has it without a vm", async () => {
    const res = await call("/agent/service/restart", { method: "POST", body: { service: "grok-voice" } });
    expect(res.status).toBe(200);
    expect(b.sent).toEqual([{ vm: "vm1", action: "restart", args: { service: "grok-voice" } }]);
    expect(res.body.text).toContain("✅ grok-voice on vm1 restarted");
  });

  it("fans a read out to every VM that runs the service", async () => {
    const res = await call("/agent/logs/nginx?lines=10");
    expect(res.status).toBe(200);
    expect(res.body.results.map((r: any) => r.vm).sort()).toEqual(["vm1", "vm2"]);
    expect(b.sent.every((c) => c.action === "logs" && c.args["lines"] === 10)).toBe(true);
  });

  it("answers 404 for the status of an unknown VM, 422 for a command to one", async () => {
    expect((await call("/agent/vm/status?vm=vm9")).status).toBe(404);
    const res = await call("/agent/commands", { method: "POST", body: { vm: "vm9", action: "status" } });
    expect(res.status).toBe(422);
    expect(res.body.message).toBe("No such VM: vm9.");
  });

  it("answers 400 with an example for a body without an action or text", async () => {
    const commands = await call("/agent/commands", { method: "POST", body: { vm: "vm1" } });
    expect(commands.status).toBe(400);
    expect(commands.body.message).toContain('"action": "status"');
    const ask = await call("/agent/ask", { method: "POST", body: { text: "  " } });
    expect(ask.status).toBe(400);
    const notJson = await app.request("/agent/ask", {
      method: "POST",
      headers: { authorization: `Bearer ${ADMIN}`, "content-type": "application/json" },
      body: "{not json",
    });
    expect(notJson.status).toBe(400);
  });
});

describe("confirmations over the API", () => {
  it("a reboot is pending (202), refused to another token (409), run for the same (200), then used (409)", async () => {
    const asked = await call("/agent/vm/reboot", { method: "POST", body: { vm: "vm2" } });
    expect(asked.status).toBe(202);
    const id: string = asked.body.confirmationId;
    expect(asked.body).toMatchObject({
      status: "pending-confirmation",
      readBack: expect.stringMatching(/^Reboot vm2 \(hub\)\? Last heartbeat 0 s ago\.$/),
      cancel: { method: "DELETE", path: `/agent/confirmations/${id}` },
    });
    const other = await call(`/agent/confirmations/${id}`, { method: "POST", token: ADMIN2 });
    expect(other).toMatchObject({ status: 409, body: { error: "not-yours" } });
    const done = await call(`/agent/confirmations/${id}`, { method: "POST" });
    expect(done.status).toBe(200);
    expect(b.sent).toEqual([{ vm: "vm2", action: "reboot", args: { mode: "soft" } }]);
    const again = await call(`/agent/confirmations/${id}`, { method: "POST" });
    expect(again).toMatchObject({ status: 409, body: { error: "used" } });
    expect((await call("/agent/confirmations/nothing-here", { method: "POST" })).status).toBe(404);
  });

  it("/agent/ask returns the confirmation id and where to confirm", async () => {
    const asked = await call("/agent/ask", { method: "POST", body: { text: "перезагрузи первую машину" } });
    expect(asked.status).toBe(202);
    expect(asked.body.lang).toBe("ru");
    expect(asked.body.text).toMatch(/^❓ Перезагрузить vm1 \(main\)\?/);
    const cancelled = await call(`/agent/confirmations/${asked.body.confirmationId}`, { method: "DELETE" });
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.text).toBe("Отменено.");
    expect(b.sent).toEqual([]);
  });

  it("/agent/ask answers a refusal with its status: 403 for a viewer's restart, 503 when it needs an LLM that is not set", async () => {
    const denied = await call("/agent/ask", {
      method: "POST",
      body: { text: "restart grok-voice" },
      token: VIEWER,
    });
    expect(denied.status).toBe(403);
    expect(denied.body.outcome).toBe("denied");
    expect(denied.body.text).toMatch(/^⛔ /);
    const reboot = await call("/agent/ask", { method: "POST", body: { text: "reboot vm1" }, token: VIEWER });
    expect(reboot.status).toBe(403);
    const unclear = await call("/agent/ask", { method: "POST", body: { text: "qwertyuiop asdfgh" } });
    expect(unclear.status).toBe(503);
    expect(unclear.body.outcome).toBe("llm-missing");
    expect(b.sent).toEqual([]);
    const fine = await call("/agent/ask", { method: "POST", body: { text: "status vm1" }, token: VIEWER });
    expect(fine.status).toBe(200);
    expect(fine.body.outcome).toBeUndefined();
  });

  it("a token that may skip confirmations runs at once; a viewer may not reboot at all", async () => {
    const denied = await call("/agent/vm/reboot", { method: "POST", body: { vm: "vm1" }, token: VIEWER });
    expect(denied.status).toBe(403);
    expect(b.sent).toEqual([]);
    const ran = await call("/agent/vm/reboot", { method: "POST", body: { vm: "vm1" }, token: SKIPPER });
    expect(ran.status).toBe(200);
    expect(b.sent).toEqual([{ vm: "vm1", action: "reboot", args: { mode: "soft" } }]);
  });

  it("refuses shell characters in a service name and audits it", async () => {
    const res = await call("/agent/commands", {
      method: "POST",
      body: { vm: "vm1", action: "restart", args: { service: "nginx`id`" } },
    });
    expect(res.status).toBe(422);
    const audit = await call("/agent/audit?limit=5");
    expect(audit.body.records[0]).toMatchObject({
      action: "restart",
      outcome: "refused: invalid",
      args: { service: "nginx`id`" },
    });
    expect(b.sent).toEqual([]);
  });
});
