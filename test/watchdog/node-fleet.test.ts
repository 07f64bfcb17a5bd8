/**
 * The watchdog on the Node host with real sidecar processes on 127.0.0.1: peers probe each other's
 * listeners, a healthy fleet is left alone, and a sidecar frozen with SIGSTOP is declared dead (the
 * edge is silent and its peer's indirect probe fails) and reset through the Oracle stand-in, once.
 */
import { afterAll, describe, expect, it } from "vitest";
import { type Child, stopAll } from "../support/child.ts";
import { waitFor } from "../support/wait-for.ts";
import { facts, startHarness, startSidecar } from "./e2e-fleet.ts";

const keys = { vm1: "vm1-key-0123456789abcdef", vm2: "vm2-key-0123456789abcdef" };
const port = (n: number) => 20_000 + ((process.pid * 7 + n) % 20_000);

describe("watchdog on the Node host with real sidecars", () => {
  const children: Child[] = [];
  afterAll(async () => {
    await Promise.all(children.map((c) => c.stop("SIGKILL")));
    await stopAll();
  });

  it("leaves a healthy fleet alone and resets a frozen sidecar's VM once", async () => {
    const { harness, url } = await startHarness(keys, {});
    children.push(harness);
    const [l1, l2] = [`127.0.0.1:${port(1)}`, `127.0.0.1:${port(2)}`];
    const vm1 = startSidecar({
      vm: "vm1",
      key: keys.vm1,
      controllers: [url],
      listen: l1,
      peers: `vm2=http://${l2}`,
    });
    const vm2 = startSidecar({
      vm: "vm2",
      key: keys.vm2,
      controllers: [url],
      listen: l2,
      peers: `vm1=http://${l1}`,
    });
    children.push(vm1, vm2);
    await new Promise((r) => setTimeout(r, 6_000));
    expect(facts(harness).filter((f) => f.type === "oracle")).toEqual([]);
    expect(facts(harness).filter((f) => f.action === "watchdog.verdict")).toEqual([]);

    vm2.process.kill("SIGSTOP");
    const reset = await waitFor(() => facts(harness).find((f) => f.type === "oracle"), {
      timeoutMs: 20_000,
      what: `an Oracle reset (facts: ${JSON.stringify(facts(harness)).slice(-1500)})`,
    });
    expect(reset).toMatchObject({ vm: "vm2", action: "SOFTRESET" });
    const verdict = facts(harness).find((f) => f.action === "watchdog.verdict");
    expect(verdict).toMatchObject({ target: "vm2", outcome: "dead" });
    expect(verdict?.detail).toMatch(/vm1 cannot reach it either/);
    await new Promise((r) => setTimeout(r, 3_000));
    expect(facts(harness).filter((f) => f.type === "oracle")).toHaveLength(1);
    expect(facts(harness).filter((f) => f.type === "oracle" && f.vm === "vm1")).toEqual([]);
    vm2.process.kill("SIGCONT");
  }, 60_000);
});
