/**
 * The watchdog with real processes in network namespaces: the controller (with the Oracle stand-in)
 * in one namespace, each VM's sidecar in its own, veth pairs between them and a direct vm1⇄vm2 link
 * for the peer probes. Links are really cut (`ip link set … down`): a broken vm1⇄vm2 link and a
 * broken controller⇄vm2 link fence nobody; a SIGSTOPped sidecar's VM is reset once.
 * Addresses are 10.213.x.y inside the namespaces this test creates; names are unique per run and
 * everything is deleted afterwards. Skipped (with the reason) where `ip netns` cannot be used.
 */
import { execFileSync } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Child } from "../support/child.ts";
import { waitFor } from "../support/wait-for.ts";
import { facts, startHarness, startSidecar } from "../watchdog/e2e-fleet.ts";

function netnsProblem(): string | null {
  if (process.getuid?.() !== 0) return "not root";
  try {
    execFileSync("ip", ["netns", "list"], { stdio: "ignore" });
    return null;
  } catch (error) {
    return `ip netns is unavailable (${String(error).slice(0, 120)})`;
  }
}
const problem = netnsProblem();
const tag = `vx${process.pid % 100_000}`;
const ns = { c: `${tag}c`, a: `${tag}a`, b: `${tag}b` };
const x = (process.pid % 80) * 3;
const net = (i: number, host: number) => `10.213.${x + i}.${host}`;
const ip = (...args: string[]) => execFileSync("ip", args, { stdio: "pipe" });
const keys = { vm1: "vm1-key-0123456789abcdef", vm2: "vm2-key-0123456789abcdef" };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function veth(
  left: string,
  leftNs: string,
  leftIp: string,
  right: string,
  rightNs: string,
  rightIp: string,
): void {
  ip("link", "add", left, "type", "veth", "peer", "name", right);
  ip("link", "set", left, "netns", leftNs);
  ip("link", "set", right, "netns", rightNs);
  ip("-n", leftNs, "addr", "add", `${leftIp}/24`, "dev", left);
  ip("-n", rightNs, "addr", "add", `${rightIp}/24`, "dev", right);
  ip("-n", leftNs, "link", "set", left, "up");
  ip("-n", rightNs, "link", "set", right, "up");
}

function cleanup(): void {
  for (const name of Object.values(ns))
    try {
      ip("netns", "del", name);
    } catch {}
}

describe.skipIf(problem !== null)(
  `watchdog across network namespaces${problem ? ` (skipped: ${problem})` : ""}`,
  () => {
    const children: Child[] = [];
    let harness: Child;
    let vm2: Child;

    beforeAll(async () => {
      cleanup();
      process.once("exit", cleanup);
      for (const name of Object.values(ns)) {
        ip("netns", "add", name);
        ip("-n", name, "link", "set", "lo", "up");
      }
      veth(`${tag}c1`, ns.c, net(0, 1), `${tag}a0`, ns.a, net(0, 2));
      veth(`${tag}c2`, ns.c, net(1, 1), `${tag}b0`, ns.b, net(1, 2));
      veth(`${tag}ab`, ns.a, net(2, 1), `${tag}ba`, ns.b, net(2, 2));
      ({ harness } = await startHarness(keys, { HARNESS_HOST: "0.0.0.0", HARNESS_PORT: "8080" }, [
        "ip",
        "netns",
        "exec",
        ns.c,
      ]));
      children.push(harness);
      children.push(
        startSidecar({
          vm: "vm1",
          key: keys.vm1,
          controllers: [`http://${net(0, 1)}:8080`],
          listen: `${net(2, 1)}:8790`,
          peers: `vm2=http://${net(2, 2)}:8790`,
          prefix: ["ip", "netns", "exec", ns.a],
        }),
      );
      vm2 = startSidecar({
        vm: "vm2",
        key: keys.vm2,
        controllers: [`http://${net(1, 1)}:8080`],
        listen: `${net(2, 2)}:8790`,
        peers: `vm1=http://${net(2, 1)}:8790`,
        prefix: ["ip", "netns", "exec", ns.b],
      });
      children.push(vm2);
      await sleep(5_000);
    }, 60_000);

    afterAll(async () => {
      await Promise.all(children.map((c) => c.stop("SIGKILL")));
      cleanup();
    });

    const oracle = () => facts(harness).filter((f) => f.type === "oracle");

    it("a cut vm1⇄vm2 link is reported as a partition and fences nobody", async () => {
      ip("-n", ns.a, "link", "set", `${tag}ab`, "down");
      await waitFor(() => facts(harness).find((f) => f.action === "watchdog.partition"), {
        timeoutMs: 15_000,
        what: `a partition record (${JSON.stringify(facts(harness)).slice(-800)})`,
      });
      await sleep(3_000);
      expect(oracle()).toEqual([]);
      expect(facts(harness).filter((f) => f.action === "watchdog.verdict")).toEqual([]);
      ip("-n", ns.a, "link", "set", `${tag}ab`, "up");
    }, 30_000);

    it("a cut controller⇄vm2 link, vm2 still reached by vm1, fences nobody", async () => {
      ip("-n", ns.c, "link", "set", `${tag}c2`, "down");
      await waitFor(() => facts(harness).find((f) => f.action === "watchdog.suspect" && f.target === "vm2"), {
        timeoutMs: 15_000,
        what: "vm2 suspected",
      });
      await sleep(6_000);
      expect(oracle()).toEqual([]);
      expect(facts(harness).filter((f) => f.action === "watchdog.verdict")).toEqual([]);
      ip("-n", ns.c, "link", "set", `${tag}c2`, "up");
      await waitFor(
        () => facts(harness).find((f) => f.action === "watchdog.recovered" && f.target === "vm2"),
        {
          timeoutMs: 40_000,
          what: `vm2 heard again (${JSON.stringify(facts(harness)).slice(-800)})`,
        },
      );
    }, 70_000);

    it("a SIGSTOPped sidecar's VM is declared dead and reset once through Oracle", async () => {
      vm2.process.kill("SIGSTOP");
      const reset = await waitFor(() => oracle()[0], {
        timeoutMs: 25_000,
        what: `an Oracle reset (${JSON.stringify(facts(harness)).slice(-1200)})`,
      });
      expect(reset).toMatchObject({ vm: "vm2", action: "SOFTRESET" });
      expect(facts(harness).find((f) => f.action === "watchdog.verdict")).toMatchObject({
        target: "vm2",
        outcome: "dead",
      });
      await sleep(3_000);
      expect(oracle()).toHaveLength(1);
    }, 40_000);
  },
);
