// The watchdog after its controller (re)starts: sidecars may take up to SIDECAR_LONGEST_REDIAL_MS to
// dial back, and that silence is not the VMs'. The state machine runs on its own clock here: a
// fleet watched for a while, the controller restarting a few seconds after the last heartbeats
// (too short a gap for the watchdog to notice on its own), then sidecars dialling back late.
import { describe, expect, it } from "vitest";
import { SIDECAR_LONGEST_REDIAL_MS } from "../../protocol/controller-restart.ts";
import { createWatchdogSettings } from "./watchdog-config.ts";
import type { WatchdogEffect, WatchdogInput } from "./watchdog-messages.ts";
import { nextWakeAt } from "./watchdog-schedule.ts";
import { createWatchdogState, type WatchdogState } from "./watchdog-state.ts";
import { stepWatchdog } from "./watchdog-step.ts";

const t0 = 9_000_000;
const alice = { kind: "telegram", id: "1001" } as const;
const vms = [
  { name: "vm1", autoReset: true, oci: { instanceId: "ocid1.instance.oc1.x.vm1" } },
  { name: "vm2", autoReset: true, oci: { instanceId: "ocid1.instance.oc1.x.vm2" } },
];

function harness() {
  const settings = createWatchdogSettings({ vms });
  let state: WatchdogState = createWatchdogState(
    vms.map((v) => v.name),
    t0,
  );
  const effects: { at: number; effect: WatchdogEffect }[] = [];
  const send = (input: WatchdogInput, at: number) => {
    const out = stepWatchdog(state, input, settings, { now: at, leader: true });
    state = out.state;
    effects.push(...out.effects.map((effect) => ({ at, effect })));
    return out;
  };
  const beat = (vm: string, at: number) => send({ type: "heartbeat", vm, uptimeS: 50_000 }, at);
  const hello = (vm: string, at: number) => send({ type: "heartbeat", vm, bootId: `boot-${vm}` }, at);
  /** Ticks every second from `from` to `to`; `alive(vm, at)` VMs beat every 10 s. */
  const play = (from: number, to: number, alive: (vm: string, at: number) => boolean) => {
    for (let at = from; at <= to; at += 1_000) {
      if ((at - t0) % 10_000 === 0) for (const v of vms) if (alive(v.name, at)) beat(v.name, at);
      send({ type: "tick" }, at);
    }
  };
  /** Decisions the watchdog took: suspicions, verdicts, fences, Oracle reads, probes, alerts, reboot stages. */
  const decisions = (vm: string) =>
    effects.filter(({ effect: e }) =>
      e.kind === "audit"
        ? e.entry.target === vm && /suspect|dead|fence|gave-up|reboot/.test(e.entry.action)
        : e.kind === "alert" ||
          e.kind === "reboot-stage" ||
          (e.kind === "fence" && e.record.vm === vm) ||
          ((e.kind === "oracle-get" || e.kind === "probe") && e.vm === vm),
    );
  return {
    settings,
    send,
    beat,
    hello,
    play,
    effects,
    decisions,
    get state() {
      return state;
    },
  };
}

// The last heartbeats reach the old controller at t0+60 s; the new one starts 3 s later.
const lastBeat = t0 + 60_000;
const start = lastBeat + 3_000;

describe("the watchdog after a controller start", () => {
  it("takes no decision on a VM whose sidecar dials back late, within its longest redial wait", () => {
    const h = harness();
    h.play(t0, lastBeat, () => true);
    h.send({ type: "controller-start", at: start }, start);
    h.hello("vm2", start + 1_000);
    // vm1's sidecar had grown its backoff: it dials back 2 s before the longest redial wait ends.
    const vm1Back = start + SIDECAR_LONGEST_REDIAL_MS - 2_000;
    for (let at = start + 1_000; at < vm1Back; at += 1_000) {
      if ((at - start) % 10_000 === 1_000) h.beat("vm2", at);
      h.send({ type: "tick" }, at);
    }
    // Without the start, this is 26 s of silence about vm1: suspect, probe, verdict.
    expect(vm1Back - lastBeat).toBeGreaterThan(
      h.settings.timings.suspectAfterMs + h.settings.timings.graceMs,
    );
    h.hello("vm1", vm1Back);
    h.play(vm1Back + 1_000, vm1Back + 120_000, () => true);
    expect(h.decisions("vm1")).toEqual([]);
    expect(h.decisions("vm2")).toEqual([]);
    expect(h.state.vms["vm1"]?.phase).toBe("healthy");
  });

  it("still finds a VM that never comes back, once the redial wait is over, and resets it", () => {
    const h = harness();
    h.play(t0, lastBeat, () => true);
    h.send({ type: "controller-start", at: start }, start);
    h.hello("vm2", start + 1_000);
    h.play(start + 1_000, start + SIDECAR_LONGEST_REDIAL_MS + 22_000, (vm) => vm === "vm2");
    const suspectAt = h.effects.find(
      ({ effect: e }) =>
        e.kind === "audit" && e.entry.action === "watchdog.suspect" && e.entry.target === "vm1",
    )?.at;
    // Silence counts from the start plus the longest redial wait, then the usual 21 s.
    expect(suspectAt).toBe(start + SIDECAR_LONGEST_REDIAL_MS + h.settings.timings.suspectAfterMs);
    const probe = h.effects.find(({ effect: e }) => e.kind === "probe" && e.vm === "vm1")?.effect;
    if (probe?.kind !== "probe") throw new Error("vm2 was never asked to probe vm1");
    const answered = (suspectAt ?? 0) + 2_000;
    h.send(
      { type: "probe-result", vm: "vm1", via: "vm2", requestId: probe.requestId, reached: false },
      answered,
    );
    h.play(answered + 1_000, answered + 20_000, (vm) => vm === "vm2");
    const fence = h.effects.find(({ effect: e }) => e.kind === "fence" && e.record.vm === "vm1");
    expect(fence?.effect).toMatchObject({ record: { vm: "vm1", step: "SOFTRESET" } });
    expect(fence?.at).toBeGreaterThanOrEqual(start + SIDECAR_LONGEST_REDIAL_MS + 26_000);
  });

  it("counts a VM's silence from its own heartbeat once it has dialled back", () => {
    const h = harness();
    h.play(t0, lastBeat, () => true);
    h.send({ type: "controller-start", at: start }, start);
    h.hello("vm1", start + 500);
    h.hello("vm2", start + 800);
    // vm1 dies right after its hello; vm2 beats on.
    h.play(start + 1_000, start + 40_000, (vm) => vm === "vm2");
    const suspectAt = h.effects.find(
      ({ effect: e }) =>
        e.kind === "audit" && e.entry.action === "watchdog.suspect" && e.entry.target === "vm1",
    )?.at;
    expect(suspectAt).toBe(start + 500 + 21_000 + 500);
  });

  it("does not record an accepted reboot as gone down while its sidecar dials a restarted controller back", () => {
    const h = harness();
    h.play(t0, t0 + 50_000, () => true);
    h.hello("vm1", t0 + 50_000);
    const reply = h.send(
      { type: "reboot-request", vm: "vm1", mode: "soft", reason: "test", actor: alice, lang: "ru" },
      t0 + 51_000,
    ).reply;
    expect(reply?.accepted).toBe(true);
    const epoch = h.state.vms["vm1"]?.plan?.epoch ?? 0;
    h.send({ type: "fence-result", vm: "vm1", epoch, ok: true }, t0 + 52_000);
    h.play(t0 + 53_000, lastBeat, () => true);
    h.send({ type: "controller-start", at: start }, start);
    // The same boot dials back late (the reboot has not begun yet): nothing went down.
    const back = start + SIDECAR_LONGEST_REDIAL_MS - 1_000;
    for (let at = start + 1_000; at < back; at += 1_000) h.send({ type: "tick" }, at);
    h.hello("vm1", back);
    h.hello("vm2", back);
    const stages = h.effects.flatMap(({ effect: e }) => (e.kind === "reboot-stage" ? [e.record.stage] : []));
    expect(stages).toEqual(["accepted"]);
    expect(h.state.vms["vm1"]?.reboot?.stage).toBe("accepted");
  });

  it("wakes the host when the redial wait ends", () => {
    const h = harness();
    h.play(t0, lastBeat, () => true);
    h.send({ type: "controller-start", at: start }, start);
    expect(nextWakeAt(h.state, h.settings, start + 5_000)).toBe(start + SIDECAR_LONGEST_REDIAL_MS);
  });
});
