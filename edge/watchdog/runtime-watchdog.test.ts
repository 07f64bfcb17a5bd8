import { describe, expect, it } from "vitest";
import { parseInventory } from "../../protocol/inventory.ts";
import { edgeSettings } from "../../protocol/settings/edge-settings.ts";
import { parseSettings } from "../../protocol/settings/parse-settings.ts";
import { createAudit } from "../core/audit.ts";
import { createController } from "../core/controller.ts";
import { migrate } from "../core/store.ts";
import { openSqliteStore } from "../node/sqlite-store.ts";
import { createRuntimeWatchdog } from "./runtime-watchdog.ts";

function build(env: Record<string, string>) {
  let now = 1_000_000;
  const clock = { now: () => now };
  const store = openSqliteStore(":memory:");
  migrate(store);
  const audit = createAudit({ store, now: clock.now });
  const parsed = parseInventory({ vms: { vm1: {}, vm2: {} } });
  if (!parsed.ok) throw new Error("inventory");
  const controller = createController({
    store,
    clock,
    audit,
    sidecarKeys: new Map(),
    inventory: parsed.inventory,
  });
  const watchdog = createRuntimeWatchdog({
    controller: () => controller,
    audit,
    store,
    clock,
    settings: parseSettings(edgeSettings, env).values,
    inventory: parsed.inventory,
    notifier: () => ({ notify: async () => {} }),
    log: () => {},
  });
  const grant = (vm: string, granted: boolean) =>
    watchdog.onEvent(vm, {
      type: "event",
      id: `g-${vm}-${now}`,
      kind: "lease.grant",
      at: now,
      data: { granted, remainingMs: 90_000, at: now, holder: 0 },
    });
  return { watchdog, grant, advance: (ms: number) => (now += ms), audit };
}

describe("the runtime's fencing lease", () => {
  it("lets a lone controller fence until a sidecar's vote shows a second controller exists", () => {
    const { watchdog, grant, advance } = build({});
    expect(watchdog.holdsLease()).toBe(true);
    // vm1's sidecar has given its vote to the other controller: this one now counts votes as the primary.
    expect(grant("vm1", false)).toBe(true);
    expect(watchdog.holdsLease()).toBe(false);
    expect(grant("vm2", true)).toBe(true);
    expect(watchdog.holdsLease()).toBe(true);
    advance(120_000);
    expect(watchdog.holdsLease()).toBe(false);
  });

  it("keeps a configured secondary from fencing without a majority of sidecars", () => {
    const { watchdog, grant } = build({ VOXOPS_LEASE_ROLE: "secondary" });
    expect(watchdog.holdsLease()).toBe(false);
    grant("vm1", true);
    expect(watchdog.holdsLease()).toBe(false);
    grant("vm2", true);
    expect(watchdog.holdsLease()).toBe(true);
  });
});
