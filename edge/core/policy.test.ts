import { describe, expect, it } from "vitest";
import type { Actor, Role } from "./actors.ts";
import {
  createPolicyGate,
  createSlidingWindow,
  formatAge,
  needsConfirmation,
  noAutoApproval,
  readBack,
  requiredRole,
} from "./policy.ts";

function clockAt(start = 1_000_000) {
  let t = start;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

const actor = (role: Role, id = "42"): Actor => ({ kind: "telegram", id, role });

describe("roles against risk", () => {
  it("maps risk to the least role", () => {
    expect(requiredRole("read")).toBe("viewer");
    expect(requiredRole("change")).toBe("operator");
    expect(requiredRole("destructive")).toBe("admin");
  });
  it.each([
    ["viewer", "status", "allow"],
    ["viewer", "restart", "deny"],
    ["operator", "restart", "allow"],
    ["operator", "reboot", "deny"],
    ["admin", "reboot", "confirm"],
  ] as const)("%s asking %s → %s", (role, action, verdict) => {
    const gate = createPolicyGate({ clock: clockAt() });
    const args = action === "restart" ? { service: "nginx" } : {};
    const d = gate.decide({ actor: actor(role), action, args, vm: "vm1", lang: "en" });
    expect(d.verdict).toBe(verdict);
    if (d.verdict === "deny") expect(d).toMatchObject({ reason: "role", retryable: false });
  });
  it("refuses arguments the catalog does not accept, before anything else", () => {
    const gate = createPolicyGate({ clock: clockAt() });
    const d = gate.decide({
      actor: actor("admin"),
      action: "restart",
      args: { service: "nginx; reboot" },
      vm: "vm1",
      lang: "en",
    });
    expect(d).toMatchObject({ verdict: "deny", reason: "invalid" });
  });
});

describe("confirmation", () => {
  it("follows the catalog, destructive risk and fan-out to all VMs", () => {
    expect(needsConfirmation("reboot", "vm1")).toBe(true);
    expect(needsConfirmation("config", "vm1")).toBe(true);
    expect(needsConfirmation("restart", "vm1")).toBe(false);
    expect(needsConfirmation("restart", "all")).toBe(true);
    expect(needsConfirmation("status", "all")).toBe(false);
  });
  it("reads back the action and target with the heartbeat age, in both languages", () => {
    const base = {
      action: "reboot",
      args: {},
      vm: "vm2",
      target: { role: "hub", heartbeatAgeMs: 4_000 },
    } as const;
    expect(readBack({ ...base, lang: "en" })).toBe("Reboot vm2 (hub)? Last heartbeat 4 s ago.");
    expect(readBack({ ...base, lang: "ru" })).toBe("Перезагрузить vm2 (hub)? Последний сигнал 4 с назад.");
    expect(readBack({ ...base, lang: "en", target: { heartbeatAgeMs: null } })).toBe(
      "Reboot vm2? No heartbeat yet.",
    );
    expect(
      readBack({ action: "deploy", args: { service: "admin-api", ref: "v2" }, vm: "vm1", lang: "en" }),
    ).toBe("Deploy admin-api at v2 on vm1?");
    expect(readBack({ action: "restart", args: { service: "nginx" }, vm: "all", lang: "ru" })).toBe(
      "Перезапустить nginx на всех VM?",
    );
  });
  it("a confirm decision carries the read-back", () => {
    const gate = createPolicyGate({ clock: clockAt() });
    const d = gate.decide({
      actor: actor("admin"),
      action: "reboot",
      args: { mode: "hard" },
      vm: "vm1",
      lang: "en",
      target: { role: "main", heartbeatAgeMs: 150_000 },
    });
    expect(d).toEqual({
      verdict: "confirm",
      risk: "destructive",
      readBack: "Hard-reset vm1 (main)? Last heartbeat 3 min ago.",
    });
  });
  it("formats ages", () => {
    expect(formatAge(4_000, "en")).toBe("4 s");
    expect(formatAge(7_200_000, "ru")).toBe("2 ч");
  });
});

describe("rate limits", () => {
  it("a sliding window frees a slot as the oldest event leaves it", () => {
    const clock = clockAt();
    const w = createSlidingWindow({ max: 2, windowMs: 10_000 }, clock);
    expect(w.take("k").ok).toBe(true);
    clock.advance(4_000);
    expect(w.take("k").ok).toBe(true);
    expect(w.take("k")).toEqual({ ok: false, retryAfterMs: 6_000 });
    expect(w.take("other").ok).toBe(true);
    clock.advance(6_001);
    expect(w.take("k").ok).toBe(true);
    expect(w.take("k").ok).toBe(false);
  });
  it("limits each user, with a retry time in the message", () => {
    const clock = clockAt();
    const gate = createPolicyGate({ clock, userLimit: { max: 2, windowMs: 60_000 } });
    const ask = (id: string) =>
      gate.decide({ actor: actor("viewer", id), action: "status", args: {}, vm: "vm1", lang: "en" });
    expect(ask("a").verdict).toBe("allow");
    expect(ask("a").verdict).toBe("allow");
    const third = ask("a");
    expect(third).toMatchObject({
      verdict: "deny",
      reason: "user-rate",
      retryable: true,
      retryAfterMs: 60_000,
    });
    expect(third.verdict === "deny" && third.message).toBe("Too many requests from you; try again in 60 s.");
    expect(ask("b").verdict).toBe("allow");
    clock.advance(60_001);
    expect(ask("a").verdict).toBe("allow");
  });
  it("limits changes per target across users, and never limits reads per target", () => {
    const clock = clockAt();
    const gate = createPolicyGate({ clock, targetLimit: { max: 1, windowMs: 600_000 } });
    const restart = (id: string, vm: string) =>
      gate.decide({
        actor: actor("operator", id),
        action: "restart",
        args: { service: "nginx" },
        vm,
        lang: "ru",
      });
    expect(restart("a", "vm1").verdict).toBe("allow");
    const again = restart("b", "vm1");
    expect(again).toMatchObject({ verdict: "deny", reason: "target-rate", retryAfterMs: 600_000 });
    expect(again.verdict === "deny" && again.message).toBe(
      "Слишком много изменений этой цели; попробуйте через 10 мин.",
    );
    expect(restart("b", "vm2").verdict).toBe("allow");
    for (let i = 0; i < 5; i++) {
      const d = gate.decide({
        actor: actor("viewer", `r${i}`),
        action: "status",
        args: {},
        vm: "vm1",
        lang: "en",
      });
      expect(d.verdict).toBe("allow");
    }
  });
});

describe("pre-approval by configuration", () => {
  const auto = (role: Role = "operator"): Actor => ({ kind: "auto", id: "autofix", role });
  const fix = { service: "web", rule: "port-in-use" };
  it("lets an auto-fix repair run without a confirmation by default; a human's fix is still confirmed", () => {
    const gate = createPolicyGate({ clock: clockAt() });
    expect(gate.decide({ actor: auto(), action: "fix", args: fix, vm: "vm1", lang: "en" })).toEqual({
      verdict: "allow",
      risk: "change",
    });
    expect(
      gate.decide({ actor: actor("admin"), action: "fix", args: fix, vm: "vm1", lang: "en" }).verdict,
    ).toBe("confirm");
  });
  it("asks for the confirmation when pre-approval is off", () => {
    const gate = createPolicyGate({ clock: clockAt(), autoApproved: noAutoApproval });
    const d = gate.decide({ actor: auto(), action: "fix", args: fix, vm: "vm1", lang: "en" });
    expect(d).toMatchObject({ verdict: "confirm", readBack: "Fix web on vm1?" });
  });
  it("never pre-approves a destructive action, a fleet-wide one, or beyond the role and the rate limits", () => {
    const gate = createPolicyGate({
      clock: clockAt(),
      autoApproved: { actions: ["fix", "reboot"], actorKinds: ["auto"] },
      targetLimit: { max: 1, windowMs: 600_000 },
    });
    expect(
      gate.decide({ actor: auto("admin"), action: "reboot", args: {}, vm: "vm2", lang: "en" }).verdict,
    ).toBe("confirm");
    expect(gate.decide({ actor: auto(), action: "fix", args: fix, vm: "all", lang: "en" }).verdict).toBe(
      "confirm",
    );
    expect(
      gate.decide({ actor: auto("viewer"), action: "fix", args: fix, vm: "vm1", lang: "en" }),
    ).toMatchObject({
      verdict: "deny",
      reason: "role",
    });
    expect(gate.decide({ actor: auto(), action: "fix", args: fix, vm: "vm1", lang: "en" }).verdict).toBe(
      "allow",
    );
    expect(gate.decide({ actor: auto(), action: "fix", args: fix, vm: "vm1", lang: "en" })).toMatchObject({
      verdict: "deny",
      reason: "target-rate",
    });
  });
});
