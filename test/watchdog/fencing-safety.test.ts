import { afterEach, describe, expect, it } from "vitest";
import { createSimWorld, instanceIdOf, type SimWorld } from "./sim-world.ts";

let world: SimWorld | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

const human = { kind: "telegram", id: "42" } as const;

describe("fencing safety", () => {
  it("with the edge down entirely, the mirror takes the lease and is the only fencer", async () => {
    world = await createSimWorld({ seed: 5, controllers: ["edge", "mirror"] });
    world.start();
    await world.run(120_000);
    world.kill("vm2", "hang");
    await world.run(600_000);
    const byController = (vm: string) =>
      new Set(
        world?.record.audits
          .filter((a) => a.entry.action === "watchdog.fence" && a.entry.target === vm)
          .map((a) => a.controller),
      );
    expect([...byController("vm2")]).toEqual(["edge"]);

    world.setController("edge", false);
    await world.run(120_000);
    expect(world.lease.holder).toBe("mirror");
    world.kill("vm1", "hang");
    const killedAt = world.clock.now();
    await world.run(600_000);
    expect([...byController("vm1")]).toEqual(["mirror"]);
    const vm1Actions = world.api.actions.filter((a) => a.instanceId === instanceIdOf("vm1"));
    expect(vm1Actions.map((a) => a.action)).toEqual(["SOFTRESET", "RESET"]);
    expect((vm1Actions[0]?.at ?? Infinity) - killedAt).toBeLessThanOrEqual(35_000);
    expect(world.record.alerts.filter((a) => a.controller === "edge" && a.at > killedAt)).toEqual([]);

    world.setController("edge", true);
    await world.run(120_000);
    expect(world.lease.holder).toBe("edge");
    const before = world.api.actions.length;
    await world.run(600_000);
    expect(world.api.actions.length).toBe(before);
    const edge = await world.state("edge");
    expect([edge?.vms["vm1"]?.phase, edge?.vms["vm2"]?.phase]).toEqual(["healthy", "healthy"]);
  });

  it("a VM that never recovers gets at most 3 resets in the hour, then is left alone until a human acts", async () => {
    world = await createSimWorld({ seed: 6 });
    world.start();
    await world.run(120_000);
    world.kill("vm1", "never-recovers");
    await world.run(3_600_000);
    const actions = world.api.actions.filter((a) => a.instanceId === instanceIdOf("vm1"));
    expect(actions.map((a) => a.action)).toEqual(["SOFTRESET", "RESET", "RESET"]);
    const gaps = actions.slice(1).map((a, i) => a.at - (actions[i]?.at ?? 0));
    expect(gaps[1]).toBeGreaterThan(gaps[0] ?? 0);
    const state = await world.state("edge");
    expect(state?.vms["vm1"]?.phase).toBe("gave-up");
    const gaveUp = world.record.alerts.filter((a) => a.alert.key === "watchdog:vm1:gave-up");
    expect(gaveUp).toHaveLength(1);
    expect(gaveUp[0]?.alert.buttons?.flat().map((b) => b.data)).toContain("wd:reboot:vm1");
    expect(world.record.audits.some((a) => a.entry.action === "watchdog.gave-up")).toBe(true);

    const edge = world.controllers.get("edge");
    const reply = await edge?.watchdog.requestReboot({
      vm: "vm1",
      reason: "operator: reboot vm1",
      actor: human,
    });
    expect(reply?.accepted).toBe(true);
    expect(reply?.steps).toEqual(["SOFTRESET", "RESET"]);
    await world.run(1_000);
    expect(world.api.actions.filter((a) => a.instanceId === instanceIdOf("vm1"))).toHaveLength(4);
    const again = await edge?.watchdog.requestReboot({ vm: "vm1", reason: "again", actor: human });
    expect(again?.accepted).toBe(false);
    expect(again?.text.en).toMatch(/already being rebooted/);
    const manual = world.record.audits.find(
      (a) => a.entry.action === "watchdog.fence" && a.entry.actor.kind === "telegram",
    );
    expect(manual?.entry.detail).toBe("operator: reboot vm1");
  });

  it("10 % heartbeat and probe loss with jitter over an hour: no verdict, no reset", async () => {
    for (const seed of [7, 8, 9]) {
      world = await createSimWorld({ seed, jitterMs: 2_000 });
      for (const [a, b] of [
        ["edge", "vm1"],
        ["edge", "vm2"],
        ["vm1", "vm2"],
      ] as const)
        world.setLoss(a, b, 0.1);
      world.start();
      await world.run(3_600_000);
      expect(world.record.audits.filter((a) => a.entry.action === "watchdog.verdict")).toEqual([]);
      expect(world.api.actions).toEqual([]);
      expect(world.record.commands.filter((c) => c.action === "reboot")).toEqual([]);
      await world.close();
      world = undefined;
    }
  });

  it("an alarm that runs twice (crash after the Oracle call, before the outcome was saved) resets once", async () => {
    world = await createSimWorld({ seed: 10 });
    world.start();
    await world.run(120_000);
    const edge = world.controllers.get("edge");
    if (!edge) throw new Error("no edge");
    let snapshot: string | undefined;
    world.hooks.onOracleAction = () => {
      snapshot ??= edge.store.snapshot();
    };
    world.kill("vm1", "hang");
    for (let i = 0; i < 60 && world.api.actions.length === 0; i++) await world.run(1_000);
    expect(snapshot).toBeDefined();
    edge.store.restore(snapshot as string);
    world.restartController("edge");
    const restarted = await world.state("edge");
    expect(restarted?.vms["vm1"]?.plan?.acceptedAt).toBeNull();
    await Promise.all([edge.watchdog.tick(), edge.watchdog.tick()]);
    await world.run(600_000);

    const soft = world.api.requests.filter((r) => r.action === "SOFTRESET");
    expect(soft).toHaveLength(2);
    expect(soft[0]?.retryToken).toBe(soft[1]?.retryToken);
    expect(soft.map((r) => r.replayed)).toEqual([false, true]);
    const actions = world.api.actions.filter((a) => a.instanceId === instanceIdOf("vm1"));
    expect(actions.map((a) => a.action)).toEqual(["SOFTRESET", "RESET"]);
    expect(new Set(actions.map((a) => a.retryToken)).size).toBe(actions.length);
    expect((await world.state("edge"))?.vms["vm1"]?.phase).toBe("healthy");
  });
});
