// A Node controller (the Fly mirror and the local run) that shuts down on purpose tells each sidecar
// so (close code 1012), and a real sidecar link whose backoff had grown to ~10 s dials the restarted
// controller on the same port within about a second and a half.
import { afterEach, describe, expect, it } from "vitest";
import { readConfig } from "../../edge/core/config.ts";
import { type NodeHost, startNodeHost } from "../../edge/node/server.ts";
import { createBackoff } from "../../protocol/backoff.ts";
import { type Link, startLink } from "../../sidecar/link.ts";

const KEY = "restart-key-of-vm1-0001";
const env = {
  VOXOPS_API_TOKENS: "restart-admin-token-0001:admin",
  VOXOPS_SIDECAR_KEYS: `vm1=${KEY}`,
};

let hosts: NodeHost[] = [];
let link: Link | null = null;
afterEach(async () => {
  link?.stop();
  link = null;
  for (const host of hosts) await host.close().catch(() => undefined);
  hosts = [];
});

async function start(port: number): Promise<NodeHost> {
  const host = await startNodeHost({ config: readConfig(env), env, port, dbPath: ":memory:" });
  hosts.push(host);
  return host;
}

async function waitFor(ms: number, check: () => boolean): Promise<number | null> {
  const from = Date.now();
  while (Date.now() - from < ms) {
    if (check()) return Date.now() - from;
    await new Promise((r) => setTimeout(r, 10));
  }
  return null;
}

describe("a Node controller restart", () => {
  it("closes sidecar sockets with 1012, and the sidecar is back on the new controller within ~1.5 s", async () => {
    const first = await start(0);
    const closes: number[] = [];
    // A backoff whose next wait is ~10 s: only the restart close can bring the link back in time.
    const backoff = createBackoff({ baseMs: 10_000, capMs: 30_000, random: () => 0.999 });
    link = startLink({
      controller: first.url,
      vm: "vm1",
      key: KEY,
      backoff,
      onOpen: () => {},
      onFrame: () => {},
      log: (_level, message, fields) => {
        if (message.includes("link down")) closes.push(Number(/\d+/.exec(String(fields?.why))?.[0]));
      },
    });
    expect(await waitFor(3000, () => first.controller.connected("vm1"))).not.toBeNull();

    await first.close();
    hosts = [];
    expect(closes[0]).toBe(1012);
    const second = await start(first.port);
    const back = await waitFor(1500, () => second.controller.connected("vm1") && link?.isOpen() === true);
    expect(back).not.toBeNull();
  });
});
