import { describe, expect, it } from "vitest";
import { parseInventory } from "../../protocol/inventory.ts";
import { edgeSettings } from "../../protocol/settings/edge-settings.ts";
import { parseSettings } from "../../protocol/settings/parse-settings.ts";
import { createAudit } from "../core/audit.ts";
import { migrate } from "../core/store.ts";
import { openSqliteStore } from "../node/sqlite-store.ts";
import { createLeasePlugin } from "./lease-plugin.ts";

function build(env: Record<string, string>) {
  let now = 1_000_000;
  const clock = { now: () => now };
  const store = openSqliteStore(":memory:");
  migrate(store);
  const audit = createAudit({ store, now: clock.now });
  const parsed = parseInventory({ vms: { vm1: {}, vm2: {} } });
  if (!parsed.ok) throw new Error("inventory");
  const webhooks: number[] = [];
  const lease = createLeasePlugin();
  const attached = lease.attach({
    audit,
    clock,
    settings: parseSettings(edgeSettings, env).values,
    inventory: parsed.inventory,
    log: () => {},
    setWebhook: async () => void webhooks.push(now),
  });
  const grant = (vm: string, granted: boolean) =>
    attached.onEvent?.(vm, {
      type: "event",
      id: `g-${vm}-${now}`,
      kind: "lease.grant",
      at: now,
      data: { granted, remainingMs: 90_000, at: now, holder: 0 },
    });
  return { lease, attached, grant, advance: (ms: number) => (now += ms), audit, webhooks };
}

describe("the fencing lease plugin", () => {
  it("lets a lone controller fence until a sidecar's vote shows a second controller exists", () => {
    const { lease, grant, advance } = build({});
    expect(lease.holdsLease()).toBe(true);
    // vm1's sidecar has given its vote to the other controller: this one now counts votes as the primary.
    expect(grant("vm1", false)).toBe(true);
    expect(lease.holdsLease()).toBe(false);
    expect(grant("vm2", true)).toBe(true);
    expect(lease.holdsLease()).toBe(true);
    advance(120_000);
    expect(lease.holdsLease()).toBe(false);
  });

  it("keeps a configured secondary from fencing without a majority; winning it is audited and points the webhook here", () => {
    const { lease, grant, audit, webhooks } = build({ VOXOPS_LEASE_ROLE: "secondary" });
    expect(lease.holdsLease()).toBe(false);
    grant("vm1", true);
    expect(lease.holdsLease()).toBe(false);
    grant("vm2", true);
    expect(lease.holdsLease()).toBe(true);
    expect(audit.recent(10, { action: "watchdog.lease" }).map((e) => e.outcome)).toContain("held");
    expect(webhooks).toHaveLength(1);
  });

  it("leaves other events to the plugins after it", () => {
    const { attached } = build({});
    const other = { type: "event" as const, id: "x", kind: "fix.request", at: 0, data: {} };
    expect(attached.onEvent?.("vm1", other)).toBe(false);
  });
});
