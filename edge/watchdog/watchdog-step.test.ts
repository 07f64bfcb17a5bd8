import { describe, expect, it } from "vitest";
import { createWatchdogSettings, type WatchedVm } from "./watchdog-config.ts";
import type { WatchdogEffect, WatchdogInput } from "./watchdog-messages.ts";
import { nextWakeAt } from "./watchdog-schedule.ts";
import { createWatchdogState, type WatchdogState } from "./watchdog-state.ts";
import { stepWatchdog } from "./watchdog-step.ts";

const oci = (vm: string) => ({ instanceId: `ocid1.instance.oc1.x.${vm}` });
const t0 = 1_000_000;

function harness(vms: WatchedVm[], leader = true) {
  const settings = createWatchdogSettings({ vms });
  let state: WatchdogState = createWatchdogState(
    vms.map((v) => v.name),
    t0,
  );
  const effects: { at: number; effect: WatchdogEffect }[] = [];
  const send = (input: WatchdogInput, at: number) => {
    const out = stepWatchdog(state, input, settings, { now: at, leader });
    state = out.state;
    effects.push(...out.effects.map((effect) => ({ at, effect })));
    return out;
  };
  /** Heartbeats from `alive` VMs every 10 s and ticks every second, from `from` to `to`. */
  const play = (from: number, to: number, alive: (vm: string, at: number) => boolean) => {
    for (let at = from; at <= to; at += 1_000) {
      if ((at - t0) % 10_000 === 0)
        for (const v of vms)
          if (alive(v.name, at)) send({ type: "heartbeat", vm: v.name, uptimeS: 9_999 }, at);
      send({ type: "tick" }, at);
    }
  };
  return {
    settings,
    send,
    play,
    effects,
    get state() {
      return state;
    },
  };
}

const kinds = (effects: { effect: WatchdogEffect }[], kind: WatchdogEffect["kind"]) =>
  effects.filter((e) => e.effect.kind === kind).map((e) => e.effect);

describe("stepWatchdog", () => {
  it("suspects after 21 s of silence, asks the peer at once, and wakes the host exactly then", () => {
    const h = harness([
      { name: "vm1", autoReset: true, oci: oci("vm1") },
      { name: "vm2", autoReset: true },
    ]);
    h.play(t0, t0 + 30_000, () => true);
    expect(nextWakeAt(h.state, h.settings, t0 + 30_000)).toBe(t0 + 51_000);
    h.play(t0 + 31_000, t0 + 51_000, (vm) => vm === "vm2");
    expect(h.state.vms["vm1"]?.phase).toBe("suspect");
    const probes = kinds(h.effects, "probe");
    expect(probes).toEqual([expect.objectContaining({ vm: "vm1", via: "vm2" })]);
    expect(h.effects.find((e) => e.effect.kind === "probe")?.at).toBe(t0 + 51_000);
  });

  it("a peer that still reaches the VM vetoes the verdict", () => {
    const h = harness([
      { name: "vm1", autoReset: true, oci: oci("vm1") },
      { name: "vm2", autoReset: true },
    ]);
    h.play(t0, t0 + 51_000, (vm, at) => vm === "vm2" || at <= t0 + 30_000);
    const probe = kinds(h.effects, "probe")[0];
    if (probe?.kind !== "probe") throw new Error("no probe");
    h.send(
      { type: "probe-result", vm: "vm1", via: "vm2", requestId: probe.requestId, reached: true },
      t0 + 52_000,
    );
    h.play(t0 + 53_000, t0 + 400_000, (vm) => vm === "vm2");
    expect(h.state.vms["vm1"]?.phase).toBe("suspect");
    expect(kinds(h.effects, "fence").map((f) => f.kind === "fence" && f.operation)).toEqual([
      { type: "sidecar", action: "restart-sidecar", args: {}, via: "vm2" },
    ]);
  });

  it("without the lease it judges but emits nothing", () => {
    const h = harness(
      [
        { name: "vm1", autoReset: true, oci: oci("vm1") },
        { name: "vm2", autoReset: true },
      ],
      false,
    );
    h.play(t0, t0 + 300_000, (vm, at) => vm === "vm2" || at <= t0 + 30_000);
    expect(h.state.vms["vm1"]?.phase).toBe("suspect");
    expect(h.effects).toEqual([]);
  });

  it("with autoReset off the dead alert carries a reboot button and nothing is reset", () => {
    const h = harness([
      { name: "vm1", autoReset: false, oci: oci("vm1") },
      { name: "vm2", autoReset: true },
    ]);
    h.play(t0, t0 + 51_000, (vm, at) => vm === "vm2" || at <= t0 + 30_000);
    const probe = kinds(h.effects, "probe")[0];
    if (probe?.kind !== "probe") throw new Error("no probe");
    h.send(
      { type: "probe-result", vm: "vm1", via: "vm2", requestId: probe.requestId, reached: false },
      t0 + 53_000,
    );
    h.play(t0 + 54_000, t0 + 600_000, (vm) => vm === "vm2");
    expect(h.state.vms["vm1"]?.phase).toBe("dead");
    expect(kinds(h.effects, "fence")).toEqual([]);
    const alerts = kinds(h.effects, "alert").map((a) => (a.kind === "alert" ? a.alert : undefined));
    expect(alerts.map((a) => a?.key)).toEqual(["watchdog:vm1:dead"]);
    expect(alerts[0]?.buttons?.flat().map((b) => b.data)).toContain("wd:reboot:vm1");
    expect(alerts[0]?.text.en).toMatch(/autoReset is off/);
  });

  it("with no live peer: STOPPED → dead and START; RUNNING needs 180 s of silence", () => {
    for (const [lifecycle, expected] of [
      ["STOPPED", { step: "START", after: 26_000 }],
      ["RUNNING", { step: "SOFTRESET", after: 180_000 }],
    ] as const) {
      const h = harness([{ name: "vm1", autoReset: true, oci: oci("vm1") }]);
      h.play(t0, t0 + 30_000, () => true);
      for (let at = t0 + 31_000; at <= t0 + 300_000; at += 1_000) {
        h.send({ type: "tick" }, at);
        if (kinds(h.effects, "oracle-get").length > 0)
          h.send({ type: "oracle-state", vm: "vm1", lifecycleState: lifecycle }, at);
        if (kinds(h.effects, "fence").length > 0) break;
      }
      const fence = h.effects.find((e) => e.effect.kind === "fence");
      expect(fence?.effect.kind === "fence" && fence.effect.record.step).toBe(expected.step);
      expect((fence?.at ?? 0) - (t0 + 30_000)).toBeGreaterThanOrEqual(expected.after);
      expect((fence?.at ?? 0) - (t0 + 30_000)).toBeLessThanOrEqual(expected.after + 2_000);
    }
  });

  it("state survives a JSON round trip (Durable Object storage)", () => {
    const h = harness([
      { name: "vm1", autoReset: true, oci: oci("vm1") },
      { name: "vm2", autoReset: true },
    ]);
    h.play(t0, t0 + 60_000, (vm, at) => vm === "vm2" || at <= t0 + 30_000);
    expect(JSON.parse(JSON.stringify(h.state))).toEqual(h.state);
  });
});
