import { describe, expect, it } from "vitest";
import { openSqliteStore } from "../node/sqlite-store.ts";
import { createAudit, KEEP_REFUSALS_MS, MAX_REFUSAL_RECORDS, REFUSAL_WINDOW_MS } from "./audit.ts";
import { migrate } from "./store.ts";

function setup() {
  const store = openSqliteStore(":memory:");
  migrate(store);
  let at = 1_000_000;
  const audit = createAudit({ store, now: () => at });
  const refuse = (source: string, reason = "wrong key") =>
    audit.refusal({
      actor: { kind: "api", id: source },
      action: "sidecar-connect",
      target: "vm1",
      outcome: "refused",
      source,
      reason,
    });
  return { store, audit, refuse, advance: (ms: number) => (at += ms) };
}

describe("refusals of unauthenticated callers in the audit", () => {
  it("counts repeats from one source and reason within the window into one record", () => {
    const { audit, refuse, advance } = setup();
    for (let i = 0; i < 10; i++) refuse("10.0.0.1");
    refuse("10.0.0.1", "no key");
    refuse("10.0.0.2");
    expect(audit.recent(100).map((r) => [r.actor.id, r.count])).toEqual([
      ["10.0.0.2", 1],
      ["10.0.0.1", 1],
      ["10.0.0.1", 10],
    ]);
    advance(REFUSAL_WINDOW_MS + 1);
    refuse("10.0.0.1");
    expect(audit.recent(100)).toHaveLength(4);
  });

  it("prunes refusals after the keeping time and beyond the cap, and never an authenticated record", () => {
    const { store, audit, refuse, advance } = setup();
    audit.append({
      actor: { kind: "api", id: "token:abc" },
      action: "restart",
      target: "vm1",
      outcome: "ok",
    });
    refuse("10.0.0.1");
    advance(KEEP_REFUSALS_MS + 1);
    refuse("10.0.0.2");
    expect(audit.recent(1000).map((r) => r.actor.id)).toEqual(["10.0.0.2", "token:abc"]);
    for (let i = 0; i < MAX_REFUSAL_RECORDS + 50; i++) refuse(`10.1.${i >> 8}.${i & 255}`);
    const refusals = store.exec<{ n: number }>(
      "SELECT count(*) AS n FROM audit WHERE action = 'sidecar-connect'",
    );
    expect(refusals[0]?.n).toBe(MAX_REFUSAL_RECORDS);
    expect(audit.recent(10, { action: "restart" }).map((r) => r.actor.id)).toEqual(["token:abc"]);
  });
});
