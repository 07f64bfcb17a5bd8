/**
 * Automatic repairs through the controller: a sidecar's `fix.request` (a finding its auto-fix rule can
 * repair) is audited, then submitted to the desk as the `autofix` actor, so it passes the same policy
 * gate as a human's command (role, rate limits, confirmation) and runs as the typed `fix` action. The
 * gate pre-approves it by configuration, or — with VOXOPS_AUTOFIX_APPROVAL=operator — asks, and the
 * admins get an alert whose button lets one of them request it as themselves. The sidecar's own
 * reports (fix.applied, fix.failed, fix.skipped, autofix.paused) are audited against the same finding.
 */
import * as z from "zod";
import { serviceNameSchema } from "../../protocol/actions/catalog.ts";
import { parseFixEventData } from "../../protocol/fix-events.ts";
import type { EventFrame } from "../../protocol/frames.ts";
import type { Actor } from "./actors.ts";
import type { Audit } from "./audit.ts";
import type { LogFn } from "./controller.ts";
import type { Alert, Lang, Notifier, Reply } from "./desk.ts";
import type { OperatorDesk } from "./operator-desk.ts";
import { type AutoApproval, autofixApproved, noAutoApproval } from "./policy.ts";

/** Who asks for automatic repairs: the sidecars' auto-fix engines, with an operator's rights. */
export const AUTOFIX_ACTOR: Actor = { kind: "auto", id: "autofix", role: "operator" };

/** auto: the policy gate pre-approves auto-fix repairs; operator: an admin must approve each one. */
export type ApprovalMode = "auto" | "operator";

/** Reads VOXOPS_AUTOFIX_APPROVAL ("auto" by default); anything else is a problem and means "operator". */
export function parseApprovalMode(text: string | undefined): { mode: ApprovalMode; problem?: string } {
  if (text === undefined || text === "" || text === "auto") return { mode: "auto" };
  if (text === "operator") return { mode: "operator" };
  return {
    mode: "operator",
    problem: `VOXOPS_AUTOFIX_APPROVAL: "${text.slice(0, 20)}" is not auto or operator; asking the admins`,
  };
}

/** The policy gate's pre-approval for a mode. */
export function autoApprovalFor(mode: ApprovalMode): AutoApproval {
  return mode === "auto" ? autofixApproved : noAutoApproval;
}

/** The button prefix of "approve this repair" in the admins' alert: `af:<finding id>`. */
export const APPROVE_PREFIX = "af";

const findingIdSchema = z.string().regex(/^[A-Za-z0-9_-]{1,48}$/);
const requestSchema = z.object({
  findingId: findingIdSchema,
  service: serviceNameSchema,
  rule: z.string().regex(/^[a-z][a-z0-9-]{0,63}$/),
  finding: z
    .object({ meaning: z.string().optional(), line: z.string().optional() })
    .partial()
    .passthrough()
    .optional(),
  plan: z
    .object({ reason: z.string().optional(), steps: z.array(z.object({ kind: z.string() }).passthrough()) })
    .partial()
    .passthrough()
    .optional(),
});
type FixRequest = z.infer<typeof requestSchema>;

/** The sidecar's auto-fix reports that are audited, and the outcome each is recorded as. */
const reports: Readonly<Record<string, string>> = {
  "fix.applied": "applied",
  "fix.failed": "failed",
  "fix.skipped": "skipped",
  "autofix.paused": "paused",
};

/** What the approval needs from the runtime. */
export interface AutofixApprovalOptions {
  readonly desk: Pick<OperatorDesk, "submit" | "toReply">;
  readonly audit: Audit;
  readonly notifier: Notifier;
  readonly mode: ApprovalMode;
  readonly log?: LogFn;
}

/** The controller's side of automatic repairs. */
export interface AutofixApproval {
  /** Takes a sidecar event; true when it was a `fix.request` (handled here, no other alert). */
  onEvent(vm: string, frame: EventFrame): boolean;
  /** The admins' `af:<finding id>` button: the presser requests the repair as themselves. */
  handleButton(actor: Actor, data: string, lang?: Lang): Promise<Reply | undefined>;
  /** Resolves when every request taken so far has been through the gate (and run, if it passed). */
  idle(): Promise<void>;
}

const clip = (text: string, n: number): string => (text.length > n ? `${text.slice(0, n - 1)}…` : text);

/** One line about a finding for the audit and the alert: rule, meaning, the line that decided it. */
function findingSummary(r: FixRequest): string {
  const meaning = r.finding?.meaning ? ` (${r.finding.meaning})` : "";
  const line = r.finding?.line ? `: ${clip(r.finding.line, 200)}` : "";
  return `${r.rule}${meaning}${line}`;
}

/** Creates the approval; it only acts on the events handed to `onEvent`. */
export function createAutofixApproval(options: AutofixApprovalOptions): AutofixApproval {
  const { audit } = options;
  const log: LogFn = options.log ?? (() => {});
  const work = new Set<Promise<void>>();
  const origin = (findingId: string) => `autofix finding ${findingId}`;

  const record = (
    vm: string,
    r: Pick<FixRequest, "service" | "rule" | "findingId">,
    outcome: string,
    detail: string,
  ) =>
    audit.append({
      actor: AUTOFIX_ACTOR,
      action: "fix",
      target: vm,
      args: { service: r.service, rule: r.rule },
      outcome,
      detail: clip(detail, 500),
      ref: r.findingId,
    });

  async function submit(vm: string, r: FixRequest): Promise<void> {
    const result = await options.desk.submit(AUTOFIX_ACTOR, {
      action: "fix",
      args: { service: r.service, rule: r.rule },
      vms: [vm],
      lang: "en",
      origin: origin(r.findingId),
      // Called only when the gate let the request run, right before the dispatch.
      onProgress: () =>
        record(vm, r, "approved", `the policy gate approved it (${options.mode} approval); dispatching fix`),
    });
    switch (result.kind) {
      case "invalid":
        return record(vm, r, "refused: invalid", result.message);
      case "denied":
        return record(vm, r, "denied", `the policy gate refused: ${result.message}`);
      case "confirm":
        record(vm, r, "awaiting approval", `the admins are asked (confirmation ${result.id} is the gate's)`);
        return askAdmins(vm, r);
      case "done":
        for (const v of result.results) {
          const o = v.outcome;
          if (!o) continue;
          record(
            vm,
            r,
            o.ok ? "dispatched: ok" : "dispatched: failed",
            `command ${o.id ?? "-"}${o.error ? `: ${o.error.code}: ${o.error.message}` : ""}`,
          );
        }
    }
  }

  async function askAdmins(vm: string, r: FixRequest): Promise<void> {
    const steps = (r.plan?.steps ?? []).map((s) => s.kind).join(" → ") || "the rule's steps";
    const where = `${r.service} @ ${vm}`;
    const summary = findingSummary(r);
    const alert: Alert = {
      key: `${vm}:${r.service}:${r.rule}:approve`,
      severity: "warning",
      text: {
        ru: `🩺 ${where}: найдена известная ошибка ${summary}\nАвтоисправление ждёт одобрения: ${steps}.`,
        en: `🩺 ${where}: a known error ${summary}\nThe automatic repair waits for approval: ${steps}.`,
      },
      buttons: [
        [
          { label: "🛠 repair", data: `${APPROVE_PREFIX}:${r.findingId}` },
          { label: "📜 logs", data: `do:logs:${vm}:${r.service}`.slice(0, 64) },
        ],
      ],
    };
    await options.notifier.notify(alert);
  }

  function onRequest(vm: string, data: unknown): void {
    const parsed = requestSchema.safeParse(data);
    if (!parsed.success) {
      audit.append({
        actor: AUTOFIX_ACTOR,
        action: "fix",
        target: vm,
        outcome: "refused: invalid",
        detail: clip(`a fix.request that does not parse: ${parsed.error.issues[0]?.message ?? ""}`, 500),
      });
      return;
    }
    const r = parsed.data;
    record(vm, r, "requested", findingSummary(r));
    const job = submit(vm, r).catch((error: unknown) => {
      log("warn", "auto-fix request failed", { vm, finding: r.findingId, error: String(error) });
      record(vm, r, "error", String(error));
    });
    work.add(job);
    void job.finally(() => work.delete(job));
  }

  function onReport(vm: string, frame: EventFrame, outcome: string): void {
    const d = frame.data;
    const finding = (typeof d["finding"] === "object" && d["finding"] !== null ? d["finding"] : {}) as Record<
      string,
      unknown
    >;
    const str = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);
    const findingId = str(d["findingId"]) ?? str(finding["id"]);
    const service = str(d["service"]) ?? str(finding["service"]);
    const rule = str(d["rule"]) ?? str(finding["rule"]);
    // issue 11: steps read through the event schema (a null or malformed step is dropped, not thrown on).
    const parsed = parseFixEventData(d);
    const steps = (parsed.steps ?? []).map((s) => `${s.kind}${s.ok === false ? " ✗" : ""}`).join(" → ");
    const reason = parsed.reason;
    const detail = [
      rule,
      reason ? `reason: ${reason}` : "",
      steps ? `steps: ${steps}` : "",
      parsed.message ?? "",
    ]
      .filter(Boolean)
      .join("; ");
    audit.append({
      actor: AUTOFIX_ACTOR,
      action: "fix",
      target: vm,
      args: { ...(service ? { service } : {}), ...(rule ? { rule } : {}) },
      outcome: frame.kind === "fix.skipped" && reason ? `skipped: ${reason}` : outcome,
      detail: clip(detail, 500),
      ...(findingId && findingIdSchema.safeParse(findingId).success ? { ref: findingId } : {}),
    });
  }

  return {
    onEvent(vm, frame) {
      if (frame.kind === "fix.request") {
        onRequest(vm, frame.data);
        return true;
      }
      const outcome = reports[frame.kind];
      if (outcome) onReport(vm, frame, outcome);
      return false;
    },

    async handleButton(actor, data, lang = "en") {
      const [kind, id = ""] = data.split(":");
      if (kind !== APPROVE_PREFIX || !findingIdSchema.safeParse(id).success) return undefined;
      // The request is read back from the audit, where it was recorded when it arrived.
      const asked = audit
        .recent(1000, { action: "fix" })
        .find((e) => e.ref === id && e.outcome === "requested" && e.actor.id === AUTOFIX_ACTOR.id);
      const service = asked?.args?.["service"];
      const rule = asked?.args?.["rule"];
      if (!asked || typeof service !== "string" || typeof rule !== "string") return undefined;
      const result = await options.desk.submit(actor, {
        action: "fix",
        args: { service, rule },
        vms: [asked.target],
        lang,
        origin: `${origin(id)}, approved by ${actor.kind}:${actor.id}`,
      });
      // Links the finding to what the presser's request became (their confirmation, a refusal, the command).
      const became =
        result.kind === "confirm"
          ? `their confirmation ${result.id}`
          : result.kind === "done"
            ? result.results.map((r) => `command ${r.outcome?.id ?? "-"}`).join(", ")
            : `${result.kind}: ${result.message}`;
      audit.append({
        actor,
        action: "fix",
        target: asked.target,
        args: { service, rule },
        outcome: "approval requested",
        detail: clip(`${actor.kind}:${actor.id} asks for the repair of finding ${id}; ${became}`, 500),
        ref: id,
      });
      return options.desk.toReply(result, lang);
    },

    async idle() {
      while (work.size > 0) await Promise.all([...work]);
    },
  };
}
