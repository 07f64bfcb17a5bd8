/**
 * The sidecar's peer prober: every `intervalMs` it pings each peer's listener on the private network
 * (a few short attempts), keeps a running count of misses for the heartbeat's `peers` field, and
 * answers the controller's `probe` action (SWIM's indirect probe) with a fresh ping on demand.
 */
import { randomBytes, timingSafeEqual } from "node:crypto";
import type { HeartbeatFrame } from "../../protocol/frames.ts";
import { peerMac } from "./peer-listener.ts";

/** One peer as the heartbeat reports it. */
export type PeerObservation = HeartbeatFrame["peers"][number];

/** The outcome of one probe. */
export interface ProbeOutcome {
  readonly reached: boolean;
  readonly detail: string;
}

/** How to probe. */
export interface PeerProberOptions {
  readonly vm: string;
  /** Peer VM → base URL of its listener, e.g. vm2 → http://10.0.0.2:8790. */
  readonly peers: ReadonlyMap<string, string>;
  readonly key?: string | undefined;
  /** Scheduled probe period (default 60 s, as the specification asks). */
  readonly intervalMs?: number;
  readonly attempts?: number;
  readonly attemptTimeoutMs?: number;
  readonly now?: () => number;
  readonly fetch?: typeof fetch;
}

/** A running prober. */
export interface PeerProber {
  knows(vm: string): boolean;
  observations(): PeerObservation[];
  /** Probes `vm` now (without waiting for the schedule) and records the outcome. */
  probeNow(vm: string): Promise<ProbeOutcome>;
  stop(): void;
}

/** Reads VOXOPS_PEERS: "vm2=http://10.0.0.2:8790,vm3=http://10.0.0.3:8790". */
export function parsePeerList(text: string | undefined): Map<string, string> {
  const peers = new Map<string, string>();
  for (const part of (text ?? "").split(",")) {
    const item = part.trim();
    if (item === "") continue;
    const eq = item.indexOf("=");
    const vm = item.slice(0, eq);
    const url = item.slice(eq + 1);
    if (eq < 1 || !/^[a-z0-9][a-z0-9-]{0,31}$/.test(vm) || !/^https?:\/\/[^/]+\/?$/.test(url))
      throw new Error(`VOXOPS_PEERS entries are vm=http://host:port, not "${item}"`);
    peers.set(vm, url.replace(/\/$/, ""));
  }
  return peers;
}

/** Starts probing on the schedule (the first round right away). */
export function startPeerProber(options: PeerProberOptions): PeerProber {
  const now = options.now ?? Date.now;
  const doFetch = options.fetch ?? fetch;
  const attempts = options.attempts ?? 3;
  const attemptTimeoutMs = options.attemptTimeoutMs ?? 1_000;
  const seen = new Map<string, PeerObservation>(
    [...options.peers.keys()].map((vm) => [vm, { vm, ok: true, lastOkAt: null, misses: 0 }]),
  );

  async function ping(vm: string, base: string): Promise<string | null> {
    const nonce = randomBytes(16).toString("hex");
    try {
      const res = await doFetch(`${base}/peer/ping?from=${options.vm}&nonce=${nonce}`, {
        signal: AbortSignal.timeout(attemptTimeoutMs),
      });
      if (!res.ok) return `HTTP ${res.status}`;
      const body = (await res.json()) as { vm?: unknown; nonce?: unknown; mac?: unknown };
      if (body.vm !== vm || body.nonce !== nonce) return "answered for another VM or nonce";
      if (options.key) {
        const want = Buffer.from(peerMac(options.key, vm, nonce));
        const got = Buffer.from(typeof body.mac === "string" ? body.mac : "");
        if (got.length !== want.length || !timingSafeEqual(got, want)) return "wrong peer key";
      }
      return null;
    } catch (error) {
      return error instanceof Error && error.name === "TimeoutError"
        ? `no answer in ${attemptTimeoutMs} ms`
        : String((error as Error).message ?? error);
    }
  }

  async function probe(vm: string): Promise<ProbeOutcome> {
    const base = options.peers.get(vm);
    if (base === undefined) return { reached: false, detail: `${vm} is not in this sidecar's peer list` };
    let why = "";
    for (let i = 0; i < attempts; i++) {
      const problem = await ping(vm, base);
      if (problem === null) {
        seen.set(vm, { vm, ok: true, lastOkAt: now(), misses: 0 });
        return { reached: true, detail: `${options.vm} reached ${vm} (attempt ${i + 1})` };
      }
      why = problem;
    }
    const prev = seen.get(vm) ?? { vm, ok: true, lastOkAt: null, misses: 0 };
    seen.set(vm, { vm, ok: false, lastOkAt: prev.lastOkAt, misses: prev.misses + 1 });
    return { reached: false, detail: `${options.vm} could not reach ${vm} in ${attempts} attempts: ${why}` };
  }

  const round = () => {
    for (const vm of options.peers.keys()) void probe(vm);
  };
  round();
  const timer = setInterval(round, options.intervalMs ?? 60_000);
  timer.unref();

  return {
    knows: (vm) => options.peers.has(vm),
    observations: () => [...seen.values()],
    probeNow: probe,
    stop: () => clearInterval(timer),
  };
}
