import { describe, expect, it } from "vitest";
import type { EventFrame } from "../../protocol/frames.ts";
import { createPluginSet } from "./plugin-set.ts";
import type { AttachedPlugin, PluginContext, RuntimePlugin } from "./runtime-plugin.ts";

const plugin = (name: string, attached: AttachedPlugin): RuntimePlugin => ({ name, attach: () => attached });
const event = (kind: string): EventFrame => ({ type: "event", id: kind, kind, at: 0, data: {} });
// The plugins below use nothing of the context; the runtime's own tests attach the real one.
const context = {} as PluginContext;

describe("the runtime's plugin set", () => {
  it("hands an event to the plugins in order until one takes it", () => {
    const seen: string[] = [];
    const set = createPluginSet(
      [
        plugin("lease", {
          onEvent(_vm, f) {
            seen.push(`lease ${f.kind}`);
            return f.kind === "lease.grant";
          },
        }),
        plugin("alerts", {
          onEvent(_vm, f) {
            seen.push(`alerts ${f.kind}`);
            return true;
          },
        }),
      ],
      () => {},
    );
    set.attach(context);
    set.hooks.onEvent?.("vm1", event("lease.grant"));
    set.hooks.onEvent?.("vm1", event("log.alert"));
    expect(seen).toEqual(["lease lease.grant", "lease log.alert", "alerts log.alert"]);
  });

  it("keeps a throwing hook to its own plugin: the error is reported and the others still hear the frame", () => {
    const errors: string[] = [];
    const closed: string[] = [];
    const set = createPluginSet(
      [
        plugin("broken", {
          onClose: () => {
            throw new Error("boom");
          },
        }),
        plugin("watchdog", { onClose: (vm) => void closed.push(vm) }),
      ],
      (error, name) => errors.push(`${name}: ${(error as Error).message}`),
    );
    set.attach(context);
    set.hooks.onDisconnect?.("vm2");
    expect(errors).toEqual(["broken: boom"]);
    expect(closed).toEqual(["vm2"]);
  });

  it("gives the desk the first plugin's button, reboot and code handler, and nothing before attaching", async () => {
    const reboot = async () => ({ accepted: true, text: { ru: "да", en: "yes" } });
    const set = createPluginSet(
      [
        plugin("watchdog", { reboot, buttons: { wd: async (_a, _d, lang) => ({ lang, text: "wd" }) } }),
        plugin("code", { buttons: { ca: async (_a, _d, lang) => ({ lang, text: "ca" }) } }),
      ],
      () => {},
    );
    expect(set.desk.button("wd")).toBeUndefined();
    set.attach(context);
    expect(set.desk.reboot()).toBe(reboot);
    expect(set.desk.code()).toBeUndefined();
    expect(set.desk.button("xx")).toBeUndefined();
    const actor = { kind: "api" as const, id: "t", role: "admin" as const };
    expect(await set.desk.button("ca")?.(actor, "ca:1", "en")).toEqual({ lang: "en", text: "ca" });
    expect(() => set.attach(context)).toThrow(/already attached/);
  });

  it("runs every plugin's periodic work and wakes for the earliest", async () => {
    const ticks: string[] = [];
    const set = createPluginSet(
      [
        plugin("a", { tick: async () => void ticks.push("a"), nextWakeAt: async () => 500 }),
        plugin("b", { tick: async () => void ticks.push("b"), nextWakeAt: async () => 200 }),
        plugin("c", {}),
      ],
      () => {},
    );
    set.attach(context);
    await set.tick();
    expect(ticks.sort()).toEqual(["a", "b"]);
    expect(await set.nextWakeAt()).toBe(200);
  });

  it("keeps a failing periodic run to its own plugin: reported under its name, the others still run", async () => {
    const ticks: string[] = [];
    const errors: string[] = [];
    const set = createPluginSet(
      [
        plugin("broken", { tick: async () => Promise.reject(new Error("boom")) }),
        plugin("fine", { tick: async () => void ticks.push("fine") }),
      ],
      (error, name) => errors.push(`${name}: ${String(error)}`),
    );
    set.attach(context);
    await set.tick();
    expect(ticks).toEqual(["fine"]);
    expect(errors).toEqual(["broken: Error: boom"]);
  });
});
