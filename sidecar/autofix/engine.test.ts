import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { parseInventory } from "../../protocol/inventory.ts";
import type { Adapters } from "../adapters/index.ts";
import { createEngine, type Engine } from "./engine.ts";
import { createFinding } from "./finding.ts";
import { createFixObservers } from "./fix-observers.ts";
import type { FixResult } from "./fix-result.ts";
import type { Finding } from "./rule-kit/finding.ts";
import type { Plan } from "./rule-kit/plan.ts";
import { defaultSettings } from "./settings.ts";

const parsed = parseInventory({ vms: { vm1: { services: [{ name: "shop" }] } } });
if (!parsed.ok) throw new Error(parsed.errors.join("; "));
const inventory = parsed.inventory;

let dirs: string[] = [];
let engines: Engine[] = [];
afterEach(() => {
  for (const e of engines) e.stop();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
  dirs = [];
  engines = [];
});

/** An engine over a temporary state directory with a hand-moved clock; the out-of-space rule plans without touching the VM. */
function bench(settings: Partial<typeof defaultSettings> = {}) {
  const stateDir = mkdtempSync(join(tmpdir(), "voxops-engine-"));
  dirs.push(stateDir);
  let t = 1_000_000;
  const events: { kind: string; data: Record<string, unknown> }[] = [];
  const fixes = createFixObservers();
  const engine = createEngine({
    fixes,
    adapters: { stateDir } as unknown as Adapters,
    vm: "vm1",
    inventory,
    settings: { ...defaultSettings, backoffMs: 0, approvalMs: 50, ...settings },
    emit: (kind, data) => events.push({ kind, data }),
    now: () => t,
  });
  engines.push(engine);
  let n = 0;
  const finding = (): Finding =>
    createFinding(
      { vm: "vm1", service: "shop", unit: "shop.service", source: "watch" },
      { rule: "out-of-space", facts: {}, line: "Error: ENOSPC: no space left on device", errorLines: [] },
      t + n++,
    );
  /** What the fix handler tells when the controller's `fix` repairs `f` (ok or not). */
  const fix = (f: Finding | null, outcome: FixResult["outcome"]): void => {
    const plan: Plan = {
      decision: "repair",
      rule: "out-of-space",
      steps: [],
      reason: "test",
      reasonRu: "тест",
      suggest: [],
    };
    if (f) fixes.tell((o) => o.started(f, plan));
    fixes.tell((o) =>
      o.finished({
        service: "shop",
        outcome,
        finding: f,
        plan,
        report: { ok: outcome === "repaired", steps: [], reason: outcome, recurred: null },
      }),
    );
  };
  const kinds = () => events.map((e) => e.kind);
  return {
    engine,
    events,
    kinds,
    finding,
    fix,
    advance(ms: number) {
      t += ms;
    },
  };
}

/** Handles a finding and answers its request the way the controller would. */
async function approved(b: ReturnType<typeof bench>, outcome: FixResult["outcome"]): Promise<Finding> {
  const f = b.finding();
  const done = b.engine.handle(f);
  await waitUntil(() => b.engine.busy("shop") && b.kinds().at(-1) === "fix.request");
  b.fix(f, outcome);
  await done;
  return f;
}

async function waitUntil(ok: () => boolean, ms = 2000): Promise<void> {
  const end = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > end) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe("the engine asks the controller", () => {
  it("requests the repair instead of running it, and reports it once the controller's fix ran", async () => {
    const b = bench();
    const f = await approved(b, "repaired");
    expect(b.kinds()).toEqual(["fix.request", "fix.applied"]);
    expect(b.events[0]?.data).toMatchObject({
      service: "shop",
      rule: "out-of-space",
      findingId: f.id,
      finding: { id: f.id },
      plan: { decision: "repair" },
    });
    expect(b.events[1]?.data).toMatchObject({ findingId: f.id, service: "shop" });
    expect(b.engine.busy("shop")).toBe(false);
  });

  it("says not-approved once when no fix comes, and does not ask again about the same problem", async () => {
    const b = bench();
    await b.engine.handle(b.finding());
    expect(b.kinds()).toEqual(["fix.request", "fix.skipped"]);
    expect(b.events[1]?.data).toMatchObject({ reason: "not-approved", service: "shop" });
    await b.engine.handle(b.finding());
    await b.engine.handle(b.finding());
    expect(b.kinds()).toEqual(["fix.request", "fix.skipped"]);
  });

  it("counts an approved repair once against the hourly limit", async () => {
    const b = bench({ perHour: 2 });
    await approved(b, "repaired");
    await approved(b, "repaired");
    await b.engine.handle(b.finding());
    expect(b.kinds()).toEqual(["fix.request", "fix.applied", "fix.request", "fix.applied", "autofix.paused"]);
    expect(b.events.at(-1)?.data).toMatchObject({ reason: "limit", repairs: 2 });
  });

  it("a human's fix that repairs the service closes the breaker", async () => {
    const b = bench({ breakerFailures: 2 });
    await approved(b, "failed");
    await approved(b, "failed");
    expect(b.kinds()).toEqual(["fix.request", "fix.failed", "fix.request", "fix.failed", "autofix.paused"]);
    await b.engine.handle(b.finding());
    expect(b.kinds()).toHaveLength(5);
    // No request of the engine's is waiting: this is a human's fix, diagnosed from the journal.
    b.fix(null, "repaired");
    await approved(b, "repaired");
    expect(b.kinds().slice(5)).toEqual(["fix.request", "fix.applied"]);
  });
});
