/** Inventory discovery for the hello frame, and the reboot action through the stand-in. */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { discoverServices } from "../../sidecar/actions/discover.ts";
import { createHandlers } from "../../sidecar/actions/index.ts";
import { createAdapters } from "../../sidecar/adapters/index.ts";
import { createHarness, type Harness, inventory } from "./harness.ts";

let h: Harness;
afterEach(() => h?.cleanup());

describe("discovery", () => {
  it("reports which inventory services exist as units and which do not", async () => {
    h = createHarness();
    h.unit("web", "/bin/true");
    h.unit("worker", "/bin/true");
    const inv = inventory({
      vms: {
        vm1: { services: ["web", { name: "jobs", unit: "worker.service" }, "ghost"] },
        vm2: { services: ["db"] },
      },
    });
    const found = await discoverServices(h.adapters, "vm1", inv);
    expect(found).toMatchObject({ present: ["web", "jobs"], missing: ["ghost"], problems: [] });
    expect(found.services.map((s) => s.unit)).toEqual(["web.service", "worker.service", "ghost.service"]);
    expect((await discoverServices(h.adapters, "vm7", inv)).problems[0]).toMatch(/no VM "vm7"/);
  });

  it("reports a problem instead of throwing when systemctl cannot run", async () => {
    h = createHarness();
    const broken = createAdapters({
      systemctl: join(h.root, "no-such-systemctl"),
      stateDir: join(h.root, "s"),
    });
    const inv = inventory({ vms: { vm1: { services: ["web"] } } });
    const found = await discoverServices(broken, "vm1", inv);
    expect(found.present).toEqual([]);
    expect(found.problems[0]).toMatch(/cannot ask systemd/);
  });
});

describe("reboot", () => {
  it("asks systemd to reboot (recorded by the stand-in), soft or hard", async () => {
    h = createHarness();
    const inv = inventory({ vms: { vm1: { services: [] } } });
    const handlers = createHandlers(h.adapters);
    expect(await handlers.reboot?.({ mode: "soft" }, h.ctx(inv))).toMatchObject({ vm: "vm1", mode: "soft" });
    await handlers.reboot?.({ mode: "hard" }, h.ctx(inv));
    const requests = readFileSync(join(h.standinDir, "reboot-requested"), "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as { force: boolean });
    expect(requests.map((r) => r.force)).toEqual([false, true]);
  });
});
