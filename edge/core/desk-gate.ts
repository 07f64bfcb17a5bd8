/**
 * A request through the policy gate: checked (arguments, VMs, preconditions), refused, put up for a
 * one-time confirmation, or run; confirming charges the rate limit and runs it. Every step is audited.
 */

import { isActionName, parseAction } from "../../protocol/actions/catalog.ts";
import { withRelativePaths } from "../../protocol/names.ts";
import type { Actor } from "./actors.ts";
import type { PendingRequest } from "./confirmations.ts";
import type { Lang, Reply } from "./desk.ts";
import type { DeskContext } from "./desk-context.ts";
import type { DeskExecution } from "./desk-execution.ts";
import type { OperatorDesk } from "./desk-options.ts";
import { refusalText, t } from "./desk-texts.ts";
import { formatAge, readBack as policyReadBack } from "./policy.ts";
import { unmetPrecondition } from "./preconditions.ts";
import type { CommandProgress } from "./step-notes.ts";
import type { Submission, SubmitResult } from "./submission.ts";

/** Creates the gate's half of the desk: submit, confirm and the reply for a result. */
export function createDeskGate(
  ctx: DeskContext,
  execution: DeskExecution,
): Pick<OperatorDesk, "submit" | "confirm" | "toReply"> {
  const { options, label, heartbeatAge, ttlMs } = ctx;
  const { controller, inventory, gate, confirmations } = options;
  const audit = controller.audit;
  const { execute } = execution;

  function toReply(result: SubmitResult, lang: Lang): Reply {
    switch (result.kind) {
      case "invalid":
        return { lang, text: `⚠️ ${result.message}`, outcome: "invalid" };
      case "denied":
        return { lang, text: `⛔ ${result.message}`, outcome: "denied" };
      case "done": {
        const failed =
          result.results.some((r) => r.outcome && !r.outcome.ok) ||
          result.results.some((r) => r.reboot && !r.reboot.accepted);
        return { lang, text: result.text, ...(failed ? { outcome: "failed" as const } : {}) };
      }
      case "confirm":
        return {
          lang,
          text: `❓ ${result.readBack}\n${t(lang, `Подтвердите в течение ${formatAge(ttlMs, "ru")}.`, `Confirm within ${formatAge(ttlMs, "en")}.`)}`,
          pendingConfirmation: true,
          confirmation: { id: result.id, kind: "action" },
          buttons: [
            [
              { label: t(lang, "✅ Да", "✅ Yes"), data: `cf:${result.id}` },
              { label: t(lang, "✖ Отмена", "✖ Cancel"), data: `cx:${result.id}` },
            ],
          ],
        };
    }
  }

  /** Runs an action on VMs through the gate: refused, asked to confirm, or done. */
  async function submit(actor: Actor, sub: Submission): Promise<SubmitResult> {
    const { action, vms, lang, origin, onProgress } = sub;
    const parsed = parseAction(action, withRelativePaths(sub.args));
    // Refused names (shell characters, "..", unknown services or VMs) are audited: they may be probes.
    const invalid = (message: string): SubmitResult => {
      audit.append({
        actor,
        action: parsed.ok ? parsed.action : action.slice(0, 40),
        target: vms.join(",").slice(0, 200) || "-",
        args: clippedArgs(sub.args),
        outcome: "refused: invalid",
        detail: `${message} (${origin ?? "request"})`.slice(0, 500),
      });
      return { kind: "invalid", message };
    };
    if (!parsed.ok) return invalid(parsed.message);
    const unknown = vms.filter((vm) => !inventory.vm(vm));
    if (unknown.length > 0 || vms.length === 0)
      return invalid(
        t(lang, `Нет такой VM: ${unknown.join(", ")}.`, `No such VM: ${unknown.join(", ") || "(none)"}.`),
      );
    const unmet =
      options.inventoryDeclared === false
        ? undefined
        : unmetPrecondition(inventory, parsed.action, parsed.args, vms, lang);
    if (unmet) return invalid(unmet);
    const readBacks: string[] = [];
    for (const vm of vms.length > 1 ? ["all"] : vms) {
      const decision = gate.decide({
        actor,
        action: parsed.action,
        args: parsed.args,
        vm,
        lang,
        ...(vm === "all" ? { names: vms.map(label) } : {}),
        target: {
          role: inventory.vm(vm)?.role ?? "",
          heartbeatAgeMs: vm === "all" ? null : heartbeatAge(vm),
        },
      });
      if (decision.verdict === "deny") {
        audit.append({
          actor,
          action: parsed.action,
          target: vms.join(","),
          args: parsed.args,
          outcome: "denied",
          detail: decision.message,
        });
        return {
          kind: "denied",
          message: decision.message,
          ...(decision.retryAfterMs ? { retryAfterMs: decision.retryAfterMs } : {}),
        };
      }
      if (decision.verdict === "confirm") readBacks.push(decision.readBack);
    }
    const request: PendingRequest = {
      action: parsed.action,
      args: parsed.args,
      vms,
      lang,
      readBack: readBacks.join(" "),
      ...(origin ? { origin } : {}),
    };
    if ((readBacks.length === 0 && !sub.forceConfirm) || sub.skipConfirm) {
      if (sub.skipConfirm && readBacks.length > 0)
        audit.append({
          actor,
          action: parsed.action,
          target: vms.join(","),
          args: parsed.args,
          outcome: "confirmation-skipped",
          detail: "token may skip confirmations",
        });
      return execute(actor, request, onProgress);
    }
    // A confirmation the gate did not ask for (an LLM proposal, uncertain speech) reads back the same way.
    const readBack =
      [sub.readBack, readBacks.join(" ")].filter(Boolean).join("\n") ||
      (vms.length > 1 ? ["all"] : vms)
        .map((vm) =>
          policyReadBack({
            action: parsed.action,
            args: parsed.args,
            vm,
            lang,
            target: {
              role: inventory.vm(vm)?.role ?? "",
              heartbeatAgeMs: vm === "all" ? null : heartbeatAge(vm),
            },
          }),
        )
        .join(" ");
    const c = confirmations.create(actor, { ...request, readBack }, sub.ttlMs ?? ttlMs);
    audit.append({
      actor,
      action: parsed.action,
      target: vms.join(","),
      args: parsed.args,
      outcome: "confirmation-requested",
      ref: c.id,
      detail: readBack,
    });
    return { kind: "confirm", id: c.id, readBack, expiresAt: c.expiresAt };
  }

  async function confirm(
    actor: Actor,
    id: string,
    cancel = false,
    lang: Lang = "en",
    progress: CommandProgress = {},
  ) {
    const result = cancel ? confirmations.cancel(id, actor) : confirmations.consume(id, actor);
    if (!result.ok) {
      audit.append({ actor, action: "confirm", target: "-", outcome: `refused: ${result.refusal}`, ref: id });
      return {
        kind: "refused" as const,
        refusal: result.refusal,
        message: refusalText(lang, `confirm-${result.refusal}`),
      };
    }
    const req = result.confirmation.request;
    audit.append({
      actor,
      action: req.action,
      target: req.vms.join(","),
      args: req.args,
      outcome: cancel ? "cancelled" : "confirmed",
      ref: id,
    });
    if (cancel) return { kind: "done" as const, results: [], text: t(req.lang, "Отменено.", "Cancelled.") };
    // A question counts against the change rate limit only once it is confirmed and runs.
    if (isActionName(req.action))
      for (const vm of req.vms.length > 1 ? ["all"] : req.vms) {
        const refused = gate.charge({ actor, action: req.action, args: req.args, vm, lang: req.lang });
        if (refused) {
          audit.append({
            actor,
            action: req.action,
            target: req.vms.join(","),
            args: req.args,
            outcome: "denied",
            detail: refused.message,
            ref: id,
          });
          return {
            kind: "denied" as const,
            message: refused.message,
            ...(refused.retryAfterMs ? { retryAfterMs: refused.retryAfterMs } : {}),
          };
        }
      }
    return execute(actor, req, progress.onNote, progress.onStep);
  }

  return { submit, confirm, toReply };
}

/** The short string arguments of a refused request, for the audit (no file contents, no objects). */
function clippedArgs(args: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(args)
      .filter(([k, v]) => typeof v === "string" && k !== "content" && k !== "patch")
      .slice(0, 8)
      .map(([k, v]) => [k.slice(0, 40), (v as string).slice(0, 120)]),
  );
}
