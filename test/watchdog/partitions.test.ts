import { afterEach, describe, expect, it } from "vitest";
import { createSimWorld, type SimWorld } from "./sim-world.ts";

let world: SimWorld | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

const fences = (w: SimWorld) =>
  w.record.audits.filter((a) =>
    ["watchdog.verdict", "watchdog.fence", "watchdog.reset"].includes(a.entry.action),
  );

describe("partitions", () => {
  it("vm1⇄vm2 cut while the controller hears both: an alert, no verdict, no fence", async () => {
    world = await createSimWorld({ seed: 2 });
    world.start();
    await world.run(120_000);
    world.cut("vm1", "vm2");
    await world.run(3_600_000);
    expect(fences(world)).toEqual([]);
    expect(world.api.actions).toEqual([]);
    expect(world.record.commands).toEqual([]);
    const keys = world.record.alerts.map((a) => a.alert.key);
    expect(keys).toContain("watchdog:vm1:partition:vm2");
    expect(keys).toContain("watchdog:vm2:partition:vm1");
    expect(keys.filter((k) => k === "watchdog:vm1:partition:vm2")).toHaveLength(1);
    const state = await world.state("edge");
    expect([state?.vms["vm1"]?.phase, state?.vms["vm2"]?.phase]).toEqual(["healthy", "healthy"]);
  });

  it("controller cut off from vm1 while vm2 still reaches it: sidecar restart through vm2 once, no reboot", async () => {
    world = await createSimWorld({ seed: 3 });
    world.start();
    await world.run(120_000);
    world.cut("edge", "vm1");
    await world.run(900_000);
    expect(fences(world)).toEqual([]);
    expect(world.api.actions).toEqual([]);
    expect(world.record.commands.map((c) => `${c.action} ${c.vm} via ${c.via}`)).toEqual([
      "restart-sidecar vm1 via vm2",
    ]);
    const suspect = world.record.alerts.find((a) => a.alert.key === "watchdog:vm1:suspect");
    expect(suspect?.alert.text.en).toMatch(/vm2 still reaches it/);
    expect(world.record.probes.filter((p) => p.vm === "vm1").every((p) => p.reached === true)).toBe(true);
    expect((await world.state("edge"))?.vms["vm1"]?.phase).toBe("suspect");

    world.heal("edge", "vm1");
    await world.run(60_000);
    expect((await world.state("edge"))?.vms["vm1"]?.phase).toBe("healthy");
    expect(world.record.alerts.map((a) => a.alert.key)).toContain("watchdog:vm1:recovered");
    expect(world.isAlive("vm1")).toBe(true);
  });

  it("a VM cut off from everything fences nobody: its own reports never count", async () => {
    world = await createSimWorld({ seed: 4, vms: ["vm1", "vm2", "vm3"] });
    world.start();
    await world.run(120_000);
    world.cut("edge", "vm1");
    world.cut("vm1", "vm2");
    world.cut("vm1", "vm3");
    await world.run(600_000);
    // vm1 is isolated but alive: the controller and both peers agree it is unreachable, so it is
    // fenced; vm2 and vm3 — which vm1 cannot see — are never touched.
    const touched = new Set(world.api.actions.map((a) => a.instanceId.replace(/^.*sim/, "")));
    expect([...touched]).toEqual(["vm1"]);
    const verdicts = world.record.audits.filter((a) => a.entry.action === "watchdog.verdict");
    expect(verdicts.map((v) => v.entry.target)).toEqual(["vm1"]);
  });
});
