import { describe, expect, it } from "vitest";
import { createLeaseWitness } from "../../protocol/lease-witness.ts";
import { createFencingLease } from "./fencing-lease.ts";

const EDGE = "https://edge";
const MIRROR = "https://mirror";

function world() {
  let t = 1_000_000;
  const clock = { now: () => t };
  const witnesses = ["vm1", "vm2"].map((vm) => ({
    vm,
    w: createLeaseWitness({ controllers: [EDGE, MIRROR], now: clock.now }),
  }));
  const edge = createFencingLease({ role: "primary", vms: ["vm1", "vm2"], clock });
  const mirror = createFencingLease({ role: "secondary", vms: ["vm1", "vm2"], clock });
  const links: Record<string, Record<string, boolean>> = {
    vm1: { [EDGE]: true, [MIRROR]: true },
    vm2: { [EDGE]: true, [MIRROR]: true },
  };
  const alive: Record<string, boolean> = { vm1: true, vm2: true };
  const step = (ms: number) => {
    for (let i = 0; i < ms; i += 5_000) {
      t += 5_000;
      for (const { vm, w } of witnesses) {
        if (!alive[vm]) continue;
        const open = new Map(Object.entries(links[vm] ?? {}));
        for (const [c, lease] of [
          [EDGE, edge],
          [MIRROR, mirror],
        ] as const)
          if (open.get(c)) lease.onGrant(vm, { ...w.grantFor(c, open) });
      }
      expect(edge.holdsLease() && mirror.holdsLease()).toBe(false);
    }
  };
  return { step, edge, mirror, links, alive };
}

describe("the fencing lease", () => {
  it("gives the edge the lease by default, the mirror only after both sidecars lost the edge, and hands it back", () => {
    const w = world();
    w.step(120_000);
    expect(w.edge.holdsLease()).toBe(true);
    expect(w.mirror.holdsLease()).toBe(false);
    for (const vm of ["vm1", "vm2"]) (w.links[vm] as Record<string, boolean>)[EDGE] = false;
    w.step(130_000);
    expect(w.mirror.holdsLease()).toBe(true);
    expect(w.edge.holdsLease()).toBe(false);
    w.alive.vm2 = false;
    w.step(60_000);
    expect(w.mirror.holdsLease()).toBe(true);
    w.step(60_000);
    expect(w.mirror.holdsLease()).toBe(false);
    w.alive.vm2 = true;
    for (const vm of ["vm1", "vm2"]) (w.links[vm] as Record<string, boolean>)[EDGE] = true;
    w.step(150_000);
    expect(w.edge.holdsLease()).toBe(true);
  });

  it("never gives both the lease in a 2-2 partition", () => {
    const w = world();
    w.step(120_000);
    (w.links.vm1 as Record<string, boolean>)[EDGE] = false;
    (w.links.vm2 as Record<string, boolean>)[MIRROR] = false;
    w.step(600_000);
    expect(w.edge.holdsLease()).toBe(true);
    expect(w.mirror.holdsLease()).toBe(false);
  });
});
