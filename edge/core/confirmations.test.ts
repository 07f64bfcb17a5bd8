import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openSqliteStore } from "../node/sqlite-store.ts";
import {
  CONFIRM_TTL_MS,
  type Confirmations,
  createConfirmations,
  type PendingRequest,
} from "./confirmations.ts";
import { migrate } from "./store.ts";

const alice = { kind: "telegram", id: "1001" } as const;
const bob = { kind: "telegram", id: "1002" } as const;
// The same id from another front end is another person.
const aliceApi = { kind: "api", id: "1001" } as const;
const request: PendingRequest = {
  action: "reboot",
  args: { mode: "soft" },
  vms: ["vm2"],
  lang: "ru",
  readBack: "Перезагрузить vm2 (hub)?",
  origin: "text: перезагрузи вторую",
};

let store: ReturnType<typeof openSqliteStore>;
let t: number;
let confirmations: Confirmations;
beforeEach(() => {
  store = openSqliteStore(":memory:");
  migrate(store);
  t = Date.UTC(2026, 10, 24, 12);
  confirmations = createConfirmations(store, () => t);
});
afterEach(() => store.close());

describe("a confirmation", () => {
  it("keeps the request it will run and expires 60 s after it was made by default", () => {
    const c = confirmations.create(alice, request);
    expect(CONFIRM_TTL_MS).toBe(60_000);
    expect(c.expiresAt - c.createdAt).toBe(60_000);
    expect(c.id).toMatch(/^[A-Za-z0-9_-]{8,16}$/);
    const taken = confirmations.consume(c.id, alice);
    expect(taken).toEqual({ ok: true, confirmation: { ...c, actor: alice } });
  });

  it("is consumed once", () => {
    const c = confirmations.create(alice, request);
    expect(confirmations.consume(c.id, alice).ok).toBe(true);
    expect(confirmations.consume(c.id, alice)).toEqual({ ok: false, refusal: "used" });
    expect(confirmations.cancel(c.id, alice)).toEqual({ ok: false, refusal: "used" });
  });

  it("is usable up to its expiry and refused after it", () => {
    const early = confirmations.create(alice, request);
    const late = confirmations.create(alice, request, 5_000);
    t += 4_999;
    expect(confirmations.consume(late.id, alice).ok).toBe(true);
    t += 55_001;
    expect(confirmations.consume(early.id, alice)).toEqual({ ok: false, refusal: "expired" });
    expect(confirmations.cancel(early.id, alice)).toEqual({ ok: false, refusal: "expired" });
  });

  it("belongs to its requester only, and stays usable by them after a stranger tried", () => {
    const c = confirmations.create(alice, request);
    expect(confirmations.consume(c.id, bob)).toEqual({ ok: false, refusal: "not-yours" });
    expect(confirmations.consume(c.id, aliceApi)).toEqual({ ok: false, refusal: "not-yours" });
    expect(confirmations.cancel(c.id, bob)).toEqual({ ok: false, refusal: "not-yours" });
    expect(confirmations.consume(c.id, alice).ok).toBe(true);
  });

  it("once cancelled cannot be confirmed", () => {
    const c = confirmations.create(alice, request);
    const cancelled = confirmations.cancel(c.id, alice);
    expect(cancelled.ok && cancelled.confirmation.request).toEqual(request);
    expect(confirmations.consume(c.id, alice)).toEqual({ ok: false, refusal: "cancelled" });
  });

  it("is unknown when it never existed", () => {
    expect(confirmations.consume("nope", alice)).toEqual({ ok: false, refusal: "unknown" });
  });

  it("ids differ, and each confirmation is its own", () => {
    const a = confirmations.create(alice, request);
    const b = confirmations.create(alice, { ...request, vms: ["vm1"] });
    expect(a.id).not.toBe(b.id);
    expect(confirmations.consume(b.id, alice)).toMatchObject({
      ok: true,
      confirmation: { request: { vms: ["vm1"] } },
    });
    expect(confirmations.consume(a.id, alice).ok).toBe(true);
  });

  it("old rows are swept a day after they expired", () => {
    const old = confirmations.create(alice, request);
    t += 86_400_000 + 60_001;
    confirmations.create(alice, request);
    expect(confirmations.consume(old.id, alice)).toEqual({ ok: false, refusal: "unknown" });
  });
});
