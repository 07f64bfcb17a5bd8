/**
 * Confirmations for risky actions: one-time, expiring, naming the action and target, and usable
 * only by the requester. Consuming one is a single conditional update, so two presses cannot both win.
 */
import type { Actor } from "./actors.ts";
import { newId } from "./ids.ts";
import type { SqlStore } from "./store.ts";

/** What a confirmation will run when it is accepted. */
export interface PendingRequest {
  readonly action: string;
  readonly args: Record<string, unknown>;
  readonly vms: readonly string[];
  readonly lang: "ru" | "en";
  readonly readBack: string;
  /** Where the request came from (a finding, an LLM proposal, a text), for the audit. */
  readonly origin?: string;
}

/** A confirmation as stored. */
export interface Confirmation {
  readonly id: string;
  readonly actor: Pick<Actor, "kind" | "id">;
  readonly request: PendingRequest;
  readonly createdAt: number;
  readonly expiresAt: number;
}

/** Why a confirmation could not be used. */
export type ConfirmRefusal = "unknown" | "not-yours" | "expired" | "used" | "cancelled";

export type ConfirmResult = { ok: true; confirmation: Confirmation } | { ok: false; refusal: ConfirmRefusal };

/** The confirmation store's operations. */
export interface Confirmations {
  create(actor: Pick<Actor, "kind" | "id">, request: PendingRequest, ttlMs?: number): Confirmation;
  /** Takes a confirmation for `actor`; succeeds once, before expiry, for the requester only. */
  consume(id: string, actor: Pick<Actor, "kind" | "id">): ConfirmResult;
  /** Cancels a pending confirmation of `actor`. */
  cancel(id: string, actor: Pick<Actor, "kind" | "id">): ConfirmResult;
}

type Row = {
  id: string;
  actor_kind: string;
  actor_id: string;
  request: string;
  created_at: number;
  expires_at: number;
  state: string;
};

const toConfirmation = (r: Row): Confirmation => ({
  id: r.id,
  actor: { kind: r.actor_kind as Actor["kind"], id: r.actor_id },
  request: JSON.parse(r.request) as PendingRequest,
  createdAt: r.created_at,
  expiresAt: r.expires_at,
});

/** Default time a confirmation stays valid. */
export const CONFIRM_TTL_MS = 60_000;

/** Creates the confirmation store over the controller's SQL store. */
export function createConfirmations(store: SqlStore, now: () => number): Confirmations {
  function settle(id: string, actor: Pick<Actor, "kind" | "id">, to: "used" | "cancelled"): ConfirmResult {
    const t = now();
    const taken = store.exec<Row>(
      "UPDATE confirmations SET state = ? WHERE id = ? AND actor_kind = ? AND actor_id = ? AND state = 'pending' AND expires_at > ? RETURNING *",
      to,
      id,
      actor.kind,
      actor.id,
      t,
    )[0];
    if (taken) return { ok: true, confirmation: toConfirmation(taken) };
    const row = store.exec<Row>("SELECT * FROM confirmations WHERE id = ?", id)[0];
    if (!row) return { ok: false, refusal: "unknown" };
    if (row.actor_kind !== actor.kind || row.actor_id !== actor.id)
      return { ok: false, refusal: "not-yours" };
    if (row.state === "used") return { ok: false, refusal: "used" };
    if (row.state === "cancelled") return { ok: false, refusal: "cancelled" };
    return { ok: false, refusal: "expired" };
  }
  return {
    create(actor, request, ttlMs = CONFIRM_TTL_MS) {
      const t = now();
      store.exec("DELETE FROM confirmations WHERE expires_at < ?", t - 86_400_000);
      const id = newId().slice(0, 16);
      store.exec(
        "INSERT INTO confirmations (id, actor_kind, actor_id, request, created_at, expires_at, state) VALUES (?, ?, ?, ?, ?, ?, 'pending')",
        id,
        actor.kind,
        actor.id,
        JSON.stringify(request),
        t,
        t + ttlMs,
      );
      return { id, actor: { kind: actor.kind, id: actor.id }, request, createdAt: t, expiresAt: t + ttlMs };
    },
    consume: (id, actor) => settle(id, actor, "used"),
    cancel: (id, actor) => settle(id, actor, "cancelled"),
  };
}
