/**
 * A sidecar's side of the fencing lease: it grants the lease to at most one controller at a time,
 * for a limited time, preferring the primary (the edge) and granting a secondary (the Fly mirror)
 * only after the primary link has been down a while. Pure: the sidecar feeds it its links and time.
 *
 * Why two controllers can never both fence (see fencing-lease.ts for the counting side):
 *   - a witness's grant is exclusive: it grants a controller only when no grant to another
 *     controller is outstanding, and treats a grant as outstanding for `ttlMs + slackMs` after its
 *     last renewal; a fresh process grants nothing for `ttlMs + slackMs` (it cannot know what the
 *     previous one granted);
 *   - a controller counts a grant as valid only until `receivedAt + remainingMs - marginMs`, and
 *     rejects grants that spent more than `maxTransitMs` on the way, so it always stops counting a
 *     grant before the witness stops treating it as outstanding (transit < slack + margin).
 * So at any instant every witness vote is counted by at most one controller; the quorum rule does
 * the rest.
 */

/** How long grants last and when a secondary may be granted. */
export interface LeaseWitnessOptions {
  /** Controllers in order of preference: the primary (edge) first. */
  readonly controllers: readonly string[];
  readonly ttlMs?: number;
  readonly slackMs?: number;
  /** The primary link must be down this long before a secondary is granted (≥ ttl + slack). */
  readonly takeoverAfterMs?: number;
  readonly now: () => number;
}

/** What a witness tells one controller, carried in a `lease.grant` event. */
export interface LeaseGrant {
  readonly granted: boolean;
  /** How much longer the grant lasts from `at`, on the witness's clock. */
  readonly remainingMs: number;
  /** The witness's wall-clock time when it sent this. */
  readonly at: number;
  /** The controller that holds this witness's vote, by its position in the witness's list (0 = primary). */
  readonly holder: number | null;
}

/** The witness. */
export interface LeaseWitness {
  /** Updates the witness with which controller links are open and returns the grant for `controller`. */
  grantFor(controller: string, open: ReadonlyMap<string, boolean>): LeaseGrant;
}

/** Default grant length; long enough for the holder to start a fence on a VM that just died. */
export const defaultGrantTtlMs = 90_000;

/** Creates a witness; grants begin `ttl + slack` after it is created. */
export function createLeaseWitness(options: LeaseWitnessOptions): LeaseWitness {
  const ttl = options.ttlMs ?? defaultGrantTtlMs;
  const slack = options.slackMs ?? 10_000;
  const takeoverAfter = Math.max(options.takeoverAfterMs ?? ttl + slack, ttl + slack);
  const [primary, ...secondaries] = options.controllers;
  const startedAt = options.now();
  let holder: string | null = null;
  let until = 0;
  let primaryDownSince: number | null = null;

  function update(open: ReadonlyMap<string, boolean>): void {
    const now = options.now();
    if (primary !== undefined && open.get(primary) === true) primaryDownSince = null;
    else primaryDownSince ??= now;
    if (holder !== null && now >= until + slack) holder = null;
    if (now - startedAt < ttl + slack) return;
    const wanted =
      primary !== undefined && open.get(primary) === true
        ? primary
        : primaryDownSince !== null && now - primaryDownSince >= takeoverAfter
          ? (secondaries.find((c) => open.get(c) === true) ?? null)
          : null;
    if (wanted !== null && (holder === null || holder === wanted)) {
      holder = wanted;
      until = now + ttl;
    }
  }

  return {
    grantFor(controller, open) {
      update(open);
      const now = options.now();
      const granted = holder === controller && now < until;
      const index = holder === null ? -1 : options.controllers.indexOf(holder);
      return {
        granted,
        remainingMs: granted ? until - now : 0,
        at: now,
        holder: index < 0 ? null : index,
      };
    },
  };
}
