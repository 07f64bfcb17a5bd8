import { describe, expect, it } from "vitest";
import { createWatchdogSettings } from "./watchdog-config.ts";
import type { WatchdogEffect, WatchdogInput } from "./watchdog-messages.ts";
import { createWatchdogState, type WatchdogState } from "./watchdog-state.ts";
import { stepWatchdog } from "./watchdog-step.ts";

const t0 = 5_000_000;
const alice = { kind: "telegram", id: "1001" } as const;

function harness() {
  const settings = createWatchdogSettings({ vms: [{ name: "local", autoReset: false }] });
  let state: WatchdogState = createWatchdogState(["local"], t0);
  const effects: WatchdogEffect[] = [];
  const send = (input: WatchdogInput, at: number) => {
    const out = stepWatchdog(state, input, settings, { now: at, leader: true });
    state = out.state;
    effects.push(...out.effects);
    return out;
  };
  const hello = (bootId: string, at: number) => send({ type: "heartbeat", vm: "local", bootId }, at);
  const beat = (at: number, uptimeS = 50_000) => send({ type: "heartbeat", vm: "local", uptimeS }, at);
  const reboot = (at: number) =>
    send({ type: "reboot-request", vm: "local", mode: "soft", reason: "test", actor: alice, lang: "ru" }, at)
      .reply;
  const fenceResult = (ok: boolean, at: number, message = "") => {
    const epoch = state.vms["local"]?.plan?.epoch ?? 0;
    return send(
      {
        type: "fence-result",
        vm: "local",
        epoch,
        ok,
        ...(ok ? {} : { error: { code: "reboot-failed", message, retryable: false } }),
      },
      at,
    );
  };
  return {
    send,
    hello,
    beat,
    reboot,
    fenceResult,
    effects,
    settings,
    get state() {
      return state;
    },
    set state(s: WatchdogState) {
      state = s;
    },
    stages: () => effects.flatMap((e) => (e.kind === "reboot-stage" ? [e.record.stage] : [])) as string[],
    rebootAudit: () =>
      effects.flatMap((e) => (e.kind === "audit" && e.entry.action === "reboot" ? [e.entry] : [])),
  };
}

describe("a human's reboot, followed to its end", () => {
  it("goes accepted → down → back when a hello comes from a new boot, audited under the asker", () => {
    const h = harness();
    h.hello("boot-a", t0);
    h.beat(t0 + 1_000);
    const reply = h.reboot(t0 + 2_000);
    expect(reply?.accepted).toBe(true);
    expect(reply?.ref).toBe("fence:local:1");
    h.fenceResult(true, t0 + 2_500);
    h.send({ type: "link-closed", vm: "local" }, t0 + 3_000);
    h.hello("boot-b", t0 + 40_000);
    expect(h.stages()).toEqual(["accepted", "down", "back"]);
    const record = h.state.vms["local"]?.reboot;
    expect(record).toMatchObject({ stage: "back", bootId: "boot-a", lang: "ru", requestedAt: t0 + 2_000 });
    expect(h.state.vms["local"]?.plan).toBeNull();
    for (const entry of h.rebootAudit()) {
      expect(entry.actor).toEqual(alice);
      expect(entry.ref).toBe("fence:local:1");
    }
    expect(h.rebootAudit().at(-1)).toMatchObject({ outcome: "came back", detail: "back after 38 s" });
  });

  it("did not start when the sidecar refused: the VM stays healthy and nothing is filed as the watchdog's", () => {
    const h = harness();
    h.hello("boot-a", t0);
    h.beat(t0 + 1_000);
    h.reboot(t0 + 2_000);
    h.fenceResult(false, t0 + 2_500, "systemctl reboot failed: Call to Reboot failed: Access denied");
    expect(h.stages()).toEqual(["not-started"]);
    expect(h.state.vms["local"]).toMatchObject({ phase: "healthy", plan: null });
    expect(h.state.vms["local"]?.reboot?.why).toContain("Access denied");
    const still = h.effects.filter((e) => e.kind === "audit" && e.entry.outcome === "still down");
    expect(still).toEqual([]);
    // The next reboot is not refused.
    expect(h.reboot(t0 + 3_000)?.accepted).toBe(true);
  });

  it("did not go down when heartbeats from the same boot go on past the deadline; no stale refusal", () => {
    const h = harness();
    h.hello("boot-a", t0);
    h.beat(t0 + 1_000);
    h.reboot(t0 + 2_000);
    h.fenceResult(true, t0 + 2_500);
    const goDown = h.settings.timings.rebootGoDownMs;
    for (let at = t0 + 10_000; at < t0 + 2_500 + goDown; at += 10_000) {
      h.beat(at);
      h.send({ type: "tick" }, at);
    }
    // Still within the deadline: a second request is refused, in words, with the step named for people.
    const early = h.reboot(t0 + 60_000);
    expect(early?.accepted).toBe(false);
    expect(early?.text.en).toMatch(
      /^local is already being rebooted: systemctl reboot through the sidecar was asked 58 s ago\./,
    );
    h.beat(t0 + 2_500 + goDown + 1_000);
    h.send({ type: "tick" }, t0 + 2_500 + goDown + 1_000);
    expect(h.stages()).toEqual(["accepted", "not-down"]);
    expect(h.state.vms["local"]).toMatchObject({ phase: "healthy", plan: null });
    expect(h.rebootAudit().at(-1)).toMatchObject({ outcome: "did not go down", actor: alice });
    expect(h.reboot(t0 + goDown + 10_000)?.accepted).toBe(true);
  });

  it("clears a stale reboot kept over a controller restart at the first hello from the same boot", () => {
    const h = harness();
    h.hello("boot-a", t0);
    h.beat(t0 + 1_000);
    h.reboot(t0 + 2_000);
    h.fenceResult(true, t0 + 2_500);
    // The controller stops; its saved state is loaded again 10 minutes later.
    const saved = JSON.parse(JSON.stringify(h.state)) as WatchdogState;
    h.state = saved;
    const later = t0 + 600_000;
    h.hello("boot-a", later);
    const reply = h.reboot(later + 500);
    expect(reply?.accepted).toBe(true);
    expect(h.stages()).toEqual(["accepted", "not-down"]);
    expect(h.state.vms["local"]?.reboot?.stage).toBe("requested");
  });

  it("clears a stale reboot saved before reboots were recorded, by the uptime of its heartbeats", () => {
    const h = harness();
    h.beat(t0 + 1_000);
    h.reboot(t0 + 2_000);
    h.fenceResult(true, t0 + 2_500);
    const w = h.state.vms["local"];
    if (!w) throw new Error("no record");
    delete w.reboot;
    delete w.bootId;
    h.beat(t0 + 400_000, 90_000);
    expect(h.reboot(t0 + 401_000)?.accepted).toBe(true);
  });
});
