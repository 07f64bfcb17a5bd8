/**
 * Picks a free TCP port on 127.0.0.1 for servers that must be told their port up front (a service's
 * unit, an inventory's health URL, `PORT` of a child). The port comes from below the kernel's
 * ephemeral range, which `listen(0)` and outgoing connections draw from: between the pick and the
 * moment the server listens, no other test's server or client socket on this machine can be given
 * it. (A port from `listen(0)` could be handed to the next `listen(0)` of any process meanwhile.)
 */
import { readFileSync } from "node:fs";
import { createServer } from "node:net";

/** The lowest port of the picked range; the range ends just below the ephemeral ports. */
const RANGE_START = 20_000;

/** The first port the kernel hands out by itself (net.ipv4.ip_local_port_range), 32768 if unreadable. */
function ephemeralStart(): number {
  try {
    const first = Number(
      readFileSync("/proc/sys/net/ipv4/ip_local_port_range", "utf8").trim().split(/\s+/)[0],
    );
    return Number.isInteger(first) && first > RANGE_START + 1000 ? first : 32_768;
  } catch {
    return 32_768;
  }
}

const picked = new Set<number>();

function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once("error", () => resolve(false));
    server.listen(port, "127.0.0.1", () => server.close(() => resolve(true)));
  });
}

/** A port nobody listens on now, below the ephemeral range, not picked before by this process. */
export async function freePort(): Promise<number> {
  const end = ephemeralStart();
  for (let attempt = 0; attempt < 200; attempt++) {
    const port = RANGE_START + Math.floor(Math.random() * (end - RANGE_START));
    if (picked.has(port)) continue;
    if (await canListen(port)) {
      picked.add(port);
      return port;
    }
  }
  throw new Error(`no free port on 127.0.0.1 between ${RANGE_START} and ${end - 1} after 200 tries`);
}
