import { afterEach, describe, expect, it } from "vitest";
import { createSimWorld, instanceIdOf, type SimWorld } from "./sim-world.ts";

let world: SimWorld | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

describe("a VM that hangs", () => {
  it("is declared dead by edge + peer within 30 s, reset through Oracle, and recovers", async () => {
    world = await createSimWorld({ seed: 1 });
    world.start();
    await world.run(300_000);
    world.kill("vm1", "hang");
    const killedAt = world.clock.now();
    await world.run(900_000);

    const verdict = world.record.audits.find((a) => a.entry.action === "watchdog.verdict");
    expect(verdict?.entry.target).toBe("vm1");
    expect((verdict?.at ?? Infinity) - killedAt).toBeLessThanOrEqual(30_000);
    expect(verdict?.entry.detail).toMatch(/vm2 cannot reach it/);

    const actions = world.api.actions.filter((a) => a.instanceId === instanceIdOf("vm1"));
    expect(actions.map((a) => a.action)).toEqual(["SOFTRESET", "RESET"]);
    expect((actions[0]?.at ?? Infinity) - killedAt).toBeLessThanOrEqual(35_000);
    expect(new Set(actions.map((a) => a.retryToken)).size).toBe(2);
    expect(world.api.requests.every((r) => r.rejected === undefined)).toBe(true);
    expect(world.api.actions.filter((a) => a.instanceId === instanceIdOf("vm2"))).toEqual([]);

    const keys = world.record.alerts.map((a) => a.alert.key);
    expect(keys).toContain("watchdog:vm1:dead");
    expect(keys).toContain("watchdog:vm1:recovered");
    const dead = world.record.alerts.find((a) => a.alert.key === "watchdog:vm1:dead");
    expect(dead?.alert.buttons?.flat().map((b) => b.data)).toContain("wd:status:vm1");
    expect(world.isAlive("vm1")).toBe(true);
    const state = await world.state("edge");
    expect(state?.vms["vm1"]?.phase).toBe("healthy");
    expect(state?.vms["vm2"]?.phase).toBe("healthy");
    expect(world.record.errors).toEqual([]);
  });
});
