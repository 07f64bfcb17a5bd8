import { afterEach, describe, expect, it } from "vitest";
import type { EventFrame } from "../../protocol/frames.ts";
import { admin, createDeskBench, type DeskBench, viewer } from "../../test/desk/desk-bench.ts";
import {
  type ApprovalMode,
  AUTOFIX_ACTOR,
  type AutofixApproval,
  autoApprovalFor,
  createAutofixApproval,
  parseApprovalMode,
} from "./autofix-approval.ts";
import type { Alert } from "./desk.ts";
import { createPolicyGate, type RateLimit } from "./policy.ts";

let b: DeskBench;
const open: DeskBench[] = [];
afterEach(() => {
  for (const x of open.splice(0)) x.close();
});

/** The desk bench with the gate of `mode` and the approval wired as the runtime wires it. */
function bench(mode: ApprovalMode, targetLimit?: RateLimit) {
  let approval: AutofixApproval | undefined;
  const clock = { now: () => Date.UTC(2026, 10, 24, 12) };
  b = createDeskBench({
    gate: createPolicyGate({
      clock,
      autoApproved: autoApprovalFor(mode),
      ...(targetLimit ? { targetLimit } : {}),
    }),
    buttons: { af: async (actor, data) => approval?.handleButton(actor, data) },
  });
  open.push(b);
  b.connect("vm1");
  const alerts: Alert[] = [];
  approval = createAutofixApproval({
    desk: b.desk,
    audit: b.controller.audit,
    notifier: { notify: async (alert) => void alerts.push(alert) },
    mode,
  });
  return { approval, alerts };
}

let seq = 0;
const event = (kind: string, data: Record<string, unknown>): EventFrame => ({
  type: "event",
  id: `e${++seq}`,
  kind,
  at: 0,
  data,
});
const request = (findingId: string, service = "grok-voice") =>
  event("fix.request", {
    findingId,
    service,
    rule: "port-in-use",
    finding: { id: findingId, meaning: "another process already listens", line: "EADDRINUSE :::8080" },
    plan: { decision: "repair", steps: [{ kind: "stop-stale-process" }, { kind: "restart" }] },
  });
const story = (ref: string) =>
  b.controller.audit
    .recent(100)
    .filter((r) => r.ref === ref)
    .reverse()
    .map((r) => `${r.actor.kind}:${r.actor.id} ${r.outcome}`);

describe("an automatic repair request", () => {
  it("passes the gate as the autofix actor, pre-approved, and is dispatched as fix; the audit names the finding", async () => {
    const { approval, alerts } = bench("auto");
    expect(approval.onEvent("vm1", request("f1-aaa"))).toBe(true);
    await approval.idle();
    expect(b.sent).toEqual([
      { vm: "vm1", action: "fix", args: { service: "grok-voice", rule: "port-in-use" } },
    ]);
    expect(story("f1-aaa")).toEqual([
      "auto:autofix requested",
      "auto:autofix approved",
      "auto:autofix dispatched: ok",
    ]);
    const requested = b.controller.audit.recent(100).find((r) => r.outcome === "requested");
    expect(requested).toMatchObject({
      action: "fix",
      target: "vm1",
      args: { service: "grok-voice", rule: "port-in-use" },
    });
    expect(requested?.detail).toContain("port-in-use (another process already listens): EADDRINUSE :::8080");
    const dispatched = b.controller.audit.recent(100).find((r) => r.outcome === "dispatched");
    expect(dispatched?.actor).toEqual({ kind: "auto", id: "autofix" });
    expect(alerts).toEqual([]);
  });

  it("is denied by the target's rate limit like anyone's request: nothing runs, the denial is audited", async () => {
    const { approval } = bench("auto", { max: 1, windowMs: 600_000 });
    approval.onEvent("vm1", request("f2-aaa"));
    await approval.idle();
    approval.onEvent("vm1", request("f2-bbb"));
    await approval.idle();
    expect(b.sent).toHaveLength(1);
    expect(story("f2-bbb")).toEqual(["auto:autofix requested", "auto:autofix denied"]);
    expect(b.controller.audit.recent(100).find((r) => r.outcome === "denied" && !r.ref)?.detail).toMatch(
      /Too many changes to this target/,
    );
  });

  it("refuses a request that does not parse and runs nothing", async () => {
    const { approval } = bench("auto");
    approval.onEvent(
      "vm1",
      event("fix.request", { findingId: "f3", service: "x;reboot", rule: "port-in-use" }),
    );
    approval.onEvent("vm1", event("fix.request", { service: "nginx" }));
    await approval.idle();
    expect(b.sent).toEqual([]);
    expect(b.controller.audit.recent(10).filter((r) => r.outcome === "refused: invalid")).toHaveLength(2);
  });

  it("in operator mode asks the admins; an admin's button is their own request, confirmed by them", async () => {
    const { approval, alerts } = bench("operator");
    approval.onEvent("vm1", request("f4-aaa"));
    await approval.idle();
    expect(b.sent).toEqual([]);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]?.text.en).toContain("grok-voice @ vm1");
    expect(alerts[0]?.text.en).toContain("stop-stale-process → restart");
    const buttons = (alerts[0]?.buttons ?? []).flat().map((x) => x.data);
    expect(buttons).toContain("af:f4-aaa");
    // A viewer's press passes the gate as the viewer: refused.
    const refused = await b.desk.handleButton({ actor: viewer, data: "af:f4-aaa" });
    expect(refused.text).toMatch(/^⛔ "fix" needs the operator role/);
    const asked = await b.desk.handleButton({ actor: admin, data: "af:f4-aaa" });
    expect(b.sent).toEqual([]);
    const cf = (asked.buttons ?? []).flat().find((x) => x.data.startsWith("cf:"))?.data ?? "";
    expect(asked.text).toContain("Fix grok-voice on vm1 (main)?");
    const done = await b.desk.handleButton({ actor: admin, data: cf });
    expect(b.sent).toEqual([
      { vm: "vm1", action: "fix", args: { service: "grok-voice", rule: "port-in-use" } },
    ]);
    expect(done.text).toContain("→ fix grok-voice on vm1");
    expect(story("f4-aaa")).toEqual([
      "auto:autofix requested",
      "auto:autofix awaiting approval",
      "telegram:1003 approval requested",
      "telegram:1001 approval requested",
    ]);
    const mine = b.controller.audit.recent(100).find((r) => r.actor.id === "1001" && r.ref === "f4-aaa");
    expect(mine?.detail).toContain(`their confirmation ${cf.slice(3)}`);
  });

  it("an unknown or forged approval button does nothing", async () => {
    bench("operator");
    for (const data of ["af:nope", "af:../x", "af:"]) {
      const reply = await b.desk.handleButton({ actor: admin, data });
      expect(reply.text).toBe("This button no longer works.");
    }
    expect(b.sent).toEqual([]);
  });
});

describe("the sidecar's auto-fix reports", () => {
  it("are audited against the finding and still reach the alerts", () => {
    const { approval } = bench("auto");
    const finding = { id: "f5-aaa", service: "grok-voice", rule: "port-in-use" };
    expect(
      approval.onEvent(
        "vm1",
        event("fix.applied", {
          finding,
          findingId: "f5-aaa",
          service: "grok-voice",
          rule: "port-in-use",
          steps: [
            { kind: "stop-stale-process", ok: true },
            { kind: "restart", ok: true },
          ],
        }),
      ),
    ).toBe(false);
    approval.onEvent("vm1", event("fix.skipped", { finding, reason: "not-approved" }));
    approval.onEvent("vm1", event("autofix.paused", { finding, reason: "breaker", message: "stopped" }));
    approval.onEvent("vm1", event("fix.failed", { finding, reason: "the error came back" }));
    expect(approval.onEvent("vm1", event("peer.down", {}))).toBe(false);
    expect(story("f5-aaa")).toEqual([
      "auto:autofix applied",
      "auto:autofix skipped: not-approved",
      "auto:autofix paused",
      "auto:autofix failed",
    ]);
    const applied = b.controller.audit.recent(10).find((r) => r.outcome === "applied");
    expect(applied?.detail).toBe("port-in-use; steps: stop-stale-process → restart");
    expect(applied?.args).toEqual({ service: "grok-voice", rule: "port-in-use" });
  });
});

describe("the approval mode", () => {
  it("is auto by default, operator on request, and operator (with a problem) for anything else", () => {
    expect(parseApprovalMode(undefined)).toEqual({ mode: "auto" });
    expect(parseApprovalMode("auto")).toEqual({ mode: "auto" });
    expect(parseApprovalMode("operator")).toEqual({ mode: "operator" });
    expect(parseApprovalMode("yes")).toMatchObject({ mode: "operator", problem: expect.any(String) });
    expect(autoApprovalFor("auto")).toEqual({ actions: ["fix"], actorKinds: ["auto"] });
    expect(autoApprovalFor("operator")).toEqual({ actions: [], actorKinds: [] });
    expect(AUTOFIX_ACTOR).toEqual({ kind: "auto", id: "autofix", role: "operator" });
  });
});
