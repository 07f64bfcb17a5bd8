/**
 * The HTTPS API end to end through the real desk: a Node host, a real sidecar process for vm1 and a
 * real service under the stand-in systemd. Every route goes through the policy gate, the
 * confirmations and the audit.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { stopAll } from "../support/child.ts";
import { waitFor } from "../support/wait-for.ts";
import { startWorld, tokens, type World } from "./world.ts";

let w: World;
beforeAll(async () => {
  w = await startWorld();
}, 30_000);
afterAll(async () => {
  await w?.close();
  await stopAll();
});

const audit = async (): Promise<any[]> =>
  (await w.api("/agent/audit?limit=200", { token: tokens.admin })).body.records;

describe("/agent/ask", () => {
  it("answers a status question in Russian with the real VM's figures and services", async () => {
    const res = await w.api("/agent/ask", {
      method: "POST",
      body: { text: "Проверь статус на первой машине" },
    });
    expect(res.status).toBe(200);
    expect(res.body.lang).toBe("ru");
    expect(res.body.text).toMatch(/🖥 vm1: нагрузка [\d.]+ [\d.]+ [\d.]+, занято памяти/);
    expect(res.body.text).toContain("grok-voice");
  });

  it("answers a status question in English", async () => {
    const res = await w.api("/agent/ask", {
      method: "POST",
      body: { text: "check the status of the first machine" },
      token: tokens.viewer,
    });
    expect(res.status).toBe(200);
    expect(res.body.lang).toBe("en");
    expect(res.body.text).toMatch(/🖥 vm1: load [\d.]+ [\d.]+ [\d.]+, memory/);
  });
});

describe("reboot with a confirmation", () => {
  it("is pending, refused for another token, done once for the same token, refused when used again", async () => {
    const before = w.reboots().length;
    const asked = await w.api("/agent/vm/reboot", { method: "POST", body: { vm: "vm1" } });
    expect(asked.status).toBe(202);
    expect(asked.body).toMatchObject({ status: "pending-confirmation" });
    expect(asked.body.readBack).toMatch(/^Reboot vm1 \(main\)\? Last heartbeat \d+ s ago\.$/);
    const id: string = asked.body.confirmationId;
    expect(asked.body.confirm).toEqual({ method: "POST", path: `/agent/confirmations/${id}` });
    expect(Date.parse(asked.body.expiresAt) - Date.now()).toBeGreaterThan(50_000);
    expect(w.reboots()).toHaveLength(before);

    const other = await w.api(`/agent/confirmations/${id}`, { method: "POST", token: tokens.admin2 });
    expect(other.status).toBe(409);
    expect(other.body).toMatchObject({ status: "refused", error: "not-yours" });
    expect(w.reboots()).toHaveLength(before);

    const done = await w.api(`/agent/confirmations/${id}`, { method: "POST" });
    expect(done.status).toBe(200);
    expect(done.body.status).toBe("ok");
    await waitFor(() => w.reboots().length === before + 1, { what: "the stand-in to record a reboot" });
    expect(w.reboots().at(-1)?.force).toBe(false);

    const again = await w.api(`/agent/confirmations/${id}`, { method: "POST" });
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ status: "refused", error: "used" });
    const unknown = await w.api("/agent/confirmations/nosuchconfirm0001", { method: "POST" });
    expect(unknown.status).toBe(404);
    expect(w.reboots()).toHaveLength(before + 1);

    const records = (await audit()).filter((r) => r.ref === id);
    expect(records.map((r) => r.outcome)).toEqual(
      expect.arrayContaining(["confirmation-requested", "refused: not-yours", "confirmed", "refused: used"]),
    );
  });

  it("can be cancelled; a cancelled confirmation cannot be confirmed", async () => {
    const before = w.reboots().length;
    const asked = await w.api("/agent/vm/reboot", { method: "POST", body: { vm: "vm1", lang: "ru" } });
    expect(asked.status).toBe(202);
    expect(asked.body.readBack).toMatch(/^Перезагрузить vm1 \(main\)\? Последний сигнал \d+ с назад\.$/);
    const id: string = asked.body.confirmationId;
    const cancelled = await w.api(`/agent/confirmations/${id}`, { method: "DELETE" });
    expect(cancelled.status).toBe(200);
    const late = await w.api(`/agent/confirmations/${id}`, { method: "POST" });
    expect(late.status).toBe(409);
    expect(late.body.error).toBe("cancelled");
    expect(w.reboots()).toHaveLength(before);
  });

  it("refuses a reboot without a vm, naming what to send", async () => {
    const res = await w.api("/agent/vm/reboot", { method: "POST", body: {} });
    expect(res.status).toBe(400);
    expect(res.body.message).toContain('"vm"');
  });
});

describe("a token allowed to skip confirmations", () => {
  // Its own VM: the watchdog rightly refuses a second reboot while the first is still under way.
  let fresh: World;
  beforeAll(async () => {
    fresh = await startWorld();
  }, 30_000);
  afterAll(() => fresh?.close());

  it("reboots at once, audited as confirmation-skipped", async () => {
    const res = await fresh.api("/agent/vm/reboot", {
      method: "POST",
      body: { vm: "vm1" },
      token: tokens.noconfirm,
    });
    expect(res.status).toBe(200);
    expect(res.body.status).toBe("ok");
    expect(res.body.text).toContain("Rebooting vm1");
    await waitFor(() => fresh.reboots().length === 1, { what: "the stand-in to record a reboot" });
    const records = (await fresh.api("/agent/audit?limit=100")).body.records as any[];
    const skipped = records.filter((r) => r.action === "reboot" && r.outcome === "confirmation-skipped");
    expect(skipped).toHaveLength(1);
    expect(skipped[0].target).toBe("vm1");
    expect(records.some((r) => r.outcome === "confirmation-requested")).toBe(false);
  });

  it("answers 409 with the watchdog's reason when a reboot is already under way", async () => {
    const res = await fresh.api("/agent/vm/reboot", {
      method: "POST",
      body: { vm: "vm1" },
      token: tokens.noconfirm,
    });
    expect(res.status).toBe(409);
    expect(res.body.status).toBe("failed");
    expect(res.body.text).toContain("vm1 is already being rebooted");
    expect(fresh.reboots()).toHaveLength(1);
  });
});

describe("roles, targets and names", () => {
  it("refuses a restart to a viewer with 403 and runs nothing", async () => {
    const before = w.journal("grok-voice.service").length;
    const res = await w.api("/agent/service/restart", {
      method: "POST",
      body: { service: "grok-voice" },
      token: tokens.viewer,
    });
    expect(res.status).toBe(403);
    expect(res.body).toMatchObject({ status: "denied" });
    expect(res.body.message).toMatch(/operator role; you are viewer/);
    expect(w.journal("grok-voice.service")).toHaveLength(before);
    const denied = (await audit()).filter((r) => r.action === "restart" && r.outcome === "denied");
    expect(denied.length).toBeGreaterThanOrEqual(1);
  });

  it("restarts a service that lives on one VM, verified by its health URL", async () => {
    const res = await w.api("/agent/service/restart", {
      method: "POST",
      body: { service: "grok-voice" },
      token: tokens.operator,
    });
    expect(res.status).toBe(200);
    expect(res.body.text).toMatch(/✅ grok-voice on vm1 restarted in \d+\.\d s\./);
    expect(w.journal("grok-voice.service").join("\n")).toMatch(/listening on 127\.0\.0\.1/);
    const health = await fetch(`http://127.0.0.1:${w.healthPort}/health`);
    expect(health.status).toBe(200);
  });

  it("asks to name the vm for a service on two VMs (422) and runs nothing", async () => {
    const res = await w.api("/agent/service/restart", { method: "POST", body: { service: "nginx" } });
    expect(res.status).toBe(422);
    expect(res.body.message).toBe("The service nginx runs on vm1 and vm2: name the vm.");
  });

  it("serves a service's logs from the journal", async () => {
    const res = await w.api("/agent/logs/grok-voice?lines=20");
    expect(res.status).toBe(200);
    expect(res.body.results).toHaveLength(1);
    const lines: string[] = res.body.results[0].outcome.output.lines;
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.join("\n")).toMatch(/listening on 127\.0\.0\.1/);
    expect(res.body.text).toContain("📜 vm1, the journal of grok-voice");
  });

  it("refuses shell characters in a service name (422 from the desk, 400 from a route's schema), and audits the attempt", async () => {
    const res = await w.api("/agent/commands", {
      method: "POST",
      body: { vm: "vm1", action: "restart", args: { service: "grok-voice; rm -rf /" } },
    });
    expect(res.status).toBe(422);
    const logs = await w.api(`/agent/logs/${encodeURIComponent("x$(reboot)")}?vm=vm1`);
    // The route table's schema refuses the name before the desk; the refusal is audited the same way.
    expect(logs.status).toBe(400);
    const records = await audit();
    const refused = records.filter((r) => r.outcome === "refused: invalid");
    expect(refused.map((r) => r.action)).toEqual(expect.arrayContaining(["restart", "logs"]));
    expect(JSON.stringify(refused)).toContain("rm -rf");
    expect(
      records.some(
        (r) => r.action === "restart" && r.outcome === "dispatched" && /rm -rf/.test(JSON.stringify(r)),
      ),
    ).toBe(false);
  });
});

describe("/agent/openapi.json", () => {
  it("lists the specification's endpoints", async () => {
    const res = await w.api("/agent/openapi.json", { token: tokens.viewer });
    expect(res.status).toBe(200);
    const paths = Object.keys(res.body.paths);
    for (const p of [
      "/agent/health",
      "/agent/vm/status",
      "/agent/vm/reboot",
      "/agent/service/restart",
      "/agent/logs/{service}",
      "/agent/code/deploy",
      "/agent/backup",
      "/agent/ask",
      "/agent/confirmations/{id}",
    ])
      expect(paths).toContain(p);
  });
});
