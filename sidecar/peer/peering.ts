/**
 * Starts a sidecar's peer side from its typed settings: the private peer listener (VOXOPS_PEER_LISTEN),
 * the prober of the peers' listeners (VOXOPS_PEERS, VOXOPS_PEER_KEY, VOXOPS_PEER_PROBE_S) and, with
 * more than one controller, the fencing-lease witness (the first controller is the primary).
 */
import { createLeaseWitness } from "../../protocol/lease-witness.ts";
import type { SidecarSettings } from "../../protocol/settings/sidecar-settings.ts";
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

/** The settings peering reads. */
export type PeeringSettings = Pick<
  SidecarSettings,
  | "VOXOPS_PEER_KEY"
  | "VOXOPS_PEER_LISTEN"
  | "VOXOPS_PEERS"
  | "VOXOPS_PEER_PROBE_S"
  | "VOXOPS_PEER_ATTEMPTS"
  | "VOXOPS_PEER_TIMEOUT_MS"
  | "VOXOPS_LEASE"
  | "VOXOPS_LEASE_TTL_S"
  | "VOXOPS_LEASE_SLACK_S"
>;

/** Starts what the settings ask for (`on.peer`/`on.lease` false when a setting they need is wrong); throws on a listener it cannot open. */
export async function startPeering(
  vm: string,
  controllers: readonly string[],
  settings: PeeringSettings,
  on: { peer: boolean; lease: boolean } = { peer: true, lease: true },
): Promise<Peering> {
  const key = settings.VOXOPS_PEER_KEY;
  const listener =
    on.peer && settings.VOXOPS_PEER_LISTEN
      ? await startPeerListener({ vm, listen: settings.VOXOPS_PEER_LISTEN, key })
      : undefined;
  const peers = on.peer ? parsePeerList(settings.VOXOPS_PEERS) : new Map();
  const prober =
    peers.size > 0
      ? startPeerProber({
          vm,
          peers,
          key,
          intervalMs: settings.VOXOPS_PEER_PROBE_S * 1000,
          attempts: settings.VOXOPS_PEER_ATTEMPTS,
          attemptTimeoutMs: settings.VOXOPS_PEER_TIMEOUT_MS,
        })
      : undefined;
  const witness =
    controllers.length > 1 && on.lease && settings.VOXOPS_LEASE !== "off"
      ? createLeaseWitness({
          controllers,
          now: Date.now,
          ttlMs: settings.VOXOPS_LEASE_TTL_S * 1000,
          slackMs: settings.VOXOPS_LEASE_SLACK_S * 1000,
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
