/**
 * Starts a sidecar's peer side from its environment: the private peer listener (VOXOPS_PEER_LISTEN),
 * the prober of the peers' listeners (VOXOPS_PEERS, VOXOPS_PEER_KEY, VOXOPS_PEER_PROBE_S) and, with
 * more than one controller, the fencing-lease witness (the first controller is the primary).
 */
import { createLeaseWitness } from "../../protocol/lease-witness.ts";
import { type PeerListener, startPeerListener } from "./peer-listener.ts";
import { type PeerObservation, type PeerProber, parsePeerList, startPeerProber } from "./peer-prober.ts";

/** What the entry point passes on to the sidecar, and how to stop it. */
export interface Peering {
  readonly sidecarOptions: {
    /** The prober's latest observations, for the heartbeat's `peers` field. */
    readonly peers?: () => PeerObservation[];
    /** A fencing-lease grant for a controller, sent after each heartbeat as a `lease.grant` event. */
    readonly leaseGrant?: (
      controller: string,
      open: ReadonlyMap<string, boolean>,
    ) => Record<string, unknown> | undefined;
  };
  readonly listener: PeerListener | undefined;
  /** The prober of the peers' listeners, when VOXOPS_PEERS names any (the `probe` action asks it). */
  readonly prober: PeerProber | undefined;
  stop(): Promise<void>;
}

const positive = (text: string | undefined, fallback: number): number => {
  const n = Number(text);
  return text !== undefined && Number.isFinite(n) && n > 0 ? n : fallback;
};

/** Reads the environment and starts what it asks for; throws on a setting it cannot use. */
export async function startPeering(
  vm: string,
  controllers: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): Promise<Peering> {
  const key = env.VOXOPS_PEER_KEY;
  const listener = env.VOXOPS_PEER_LISTEN
    ? await startPeerListener({ vm, listen: env.VOXOPS_PEER_LISTEN, key })
    : undefined;
  const peers = parsePeerList(env.VOXOPS_PEERS);
  const prober =
    peers.size > 0
      ? startPeerProber({
          vm,
          peers,
          key,
          intervalMs: positive(env.VOXOPS_PEER_PROBE_S, 60) * 1000,
          attempts: positive(env.VOXOPS_PEER_ATTEMPTS, 3),
          attemptTimeoutMs: positive(env.VOXOPS_PEER_TIMEOUT_MS, 1_000),
        })
      : undefined;
  const witness =
    controllers.length > 1 && env.VOXOPS_LEASE !== "off"
      ? createLeaseWitness({
          controllers,
          now: Date.now,
          ttlMs: positive(env.VOXOPS_LEASE_TTL_S, 90) * 1000,
          slackMs: positive(env.VOXOPS_LEASE_SLACK_S, 10) * 1000,
        })
      : undefined;
  return {
    listener,
    prober,
    sidecarOptions: {
      ...(prober ? { peers: () => prober.observations() } : {}),
      ...(witness ? { leaseGrant: (c, open) => ({ ...witness.grantFor(c, open) }) } : {}),
    },
    async stop() {
      prober?.stop();
      await listener?.close();
    },
  };
}
