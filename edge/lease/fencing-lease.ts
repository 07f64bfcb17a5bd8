/**
 * A controller's side of the fencing lease: it counts the sidecars' grants (protocol/lease-witness.ts) and
 * holds the lease only with a quorum, so the edge and the Fly mirror can never fence at once.
 *
 * Voters are the N sidecars plus the primary (the edge), which always votes for itself and never
 * for the mirror. The primary holds the lease with at least half of the N + 1 votes (itself and
 * ⌈(N − 1)/2⌉ grants: one grant for two VMs); a secondary needs more than half, from sidecars alone
 * (both grants for two VMs). Every vote is counted by at most one controller at a time (the
 * witness argument), so both holding would need more than N + 1 votes. Ties go to the edge.
 * A controller configured without a mirror does not count: there is no second fencer to exclude.
 */

import type { LeaseGrant } from "../../protocol/lease-witness.ts";
import type { Clock } from "../core/clock.ts";
import type { LeasePort } from "./lease-port.ts";

/** How a controller counts grants. */
export interface FencingLeaseOptions {
  readonly role: "primary" | "secondary";
  /** The sidecars that vote (the inventory's VMs). */
  readonly vms: readonly string[];
  readonly clock: Clock;
  /** Subtracted from every grant, covering transit and clock-rate drift (default 5 s). */
  readonly marginMs?: number;
  /** Grants older than this on arrival (by the sender's wall clock) are ignored (default 5 s). */
  readonly maxTransitMs?: number;
  /** Told when the lease is won or lost, with the reason. */
  readonly onChange?: (holds: boolean, why: string) => void;
}

/** The lease as the watchdog and the host see it. */
export interface FencingLease extends LeasePort {
  /** Reads a `lease.grant` event's data from `vm`'s sidecar on this controller's link. */
  onGrant(vm: string, data: Record<string, unknown>): void;
  /** The grants counted now, by VM, with their expiry. */
  votes(): { vm: string; until: number }[];
}

/** Parses a grant from an event's data, or undefined when it is not one. */
export function parseLeaseGrant(data: Record<string, unknown>): LeaseGrant | undefined {
  const { granted, remainingMs, at, holder } = data;
  if (typeof granted !== "boolean" || typeof remainingMs !== "number" || typeof at !== "number")
    return undefined;
  if (!Number.isFinite(remainingMs) || remainingMs < 0 || remainingMs > 600_000) return undefined;
  return { granted, remainingMs, at, holder: typeof holder === "number" ? holder : null };
}

/** Creates the counting side of the lease. */
export function createFencingLease(options: FencingLeaseOptions): FencingLease {
  const margin = options.marginMs ?? 5_000;
  const maxTransit = options.maxTransitMs ?? 5_000;
  const voters = new Set(options.vms);
  const grants = new Map<string, number>();
  let last: boolean | null = null;

  function holds(): boolean {
    const now = options.clock.now();
    let votes = options.role === "primary" ? 1 : 0;
    for (const [vm, until] of grants) if (until > now && voters.has(vm)) votes += 1;
    const total = voters.size + 1;
    const result = options.role === "primary" ? 2 * votes >= total : 2 * votes > total;
    if (result !== last) {
      const had = last;
      last = result;
      if (had !== null || result)
        options.onChange?.(
          result,
          `${votes} of ${total} votes (${options.role}; needs ${options.role === "primary" ? "half" : "a majority"})`,
        );
    }
    return result;
  }

  return {
    holdsLease: holds,
    onGrant(vm, data) {
      const grant = parseLeaseGrant(data);
      if (!grant || !voters.has(vm)) return;
      const now = options.clock.now();
      if (!grant.granted) grants.delete(vm);
      else if (now - grant.at <= maxTransit && grant.at - now <= maxTransit)
        grants.set(vm, now + grant.remainingMs - margin);
      holds();
    },
    votes: () =>
      [...grants].filter(([, until]) => until > options.clock.now()).map(([vm, until]) => ({ vm, until })),
  };
}

/** The lease of a controller with no mirror configured: it always holds it. */
export const soleControllerLease: LeasePort = { holdsLease: () => true };
