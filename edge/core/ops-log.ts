/**
 * The operations log: one JSON line for each action, verdict, fence, alert and refusal, with the ids
 * that tie it to a request, a command or a confirmation, the actor, the target, the outcome and the
 * duration. Every such event is already an audit record or an alert, so the log is written where
 * those are: the audit and the notifier are wrapped once, in the composition root.
 */
import { actionSpecs } from "../../protocol/actions/catalog.ts";
import type { Audit, AuditEntry } from "./audit.ts";
import type { LogFn } from "./controller.ts";
import type { Alert, Notifier } from "./desk.ts";

/** What an operations line reports. */
export type OpsKind = "action" | "verdict" | "fence" | "alert" | "refusal";

const fenceSteps = new Set([
  "fence",
  "fence-result",
  "reset",
  "repair",
  "step-failed",
  "plan-ended",
  "lease",
]);
const confirmationOutcomes = new Set([
  "confirmation-requested",
  "confirmation-skipped",
  "confirmed",
  "cancelled",
]);

/** Which kind of operations line an audit record is. */
export function opsKind(entry: Pick<AuditEntry, "action" | "outcome">): OpsKind {
  if (/^(refused|denied|stranger refused)/.test(entry.outcome)) return "refusal";
  if (entry.action.startsWith("watchdog."))
    return fenceSteps.has(entry.action.slice("watchdog.".length)) ? "fence" : "verdict";
  return "action";
}

/** The fields of an audit record's operations line. */
export function opsFields(entry: AuditEntry): Record<string, unknown> {
  const kind = opsKind(entry);
  const isConfirmation = entry.action === "confirm" || confirmationOutcomes.has(entry.outcome);
  const ref =
    entry.ref === undefined
      ? {}
      : isConfirmation
        ? { confirmationId: entry.ref }
        : kind === "fence" || kind === "verdict"
          ? { fenceId: entry.ref }
          : Object.hasOwn(actionSpecs, entry.action)
            ? { commandId: entry.ref }
            : { ref: entry.ref };
  return {
    kind,
    ...ref,
    actor: `${entry.actor.kind}:${entry.actor.id}`,
    action: entry.action,
    target: entry.target,
    outcome: entry.outcome,
    ...(entry.durationMs === undefined ? {} : { durationMs: entry.durationMs }),
    ...(entry.args && Object.keys(entry.args).length > 0 ? { args: entry.args } : {}),
    ...(entry.detail ? { detail: entry.detail.slice(0, 300) } : {}),
  };
}

const warnOutcome = /^(refused|denied|stranger|failed|timeout|dead)|failed|not helped|did not help/;

/** An audit that also writes each record as one operations line. */
export function withOpsLog(audit: Audit, log: LogFn): Audit {
  return {
    append(entry) {
      audit.append(entry);
      const fields = opsFields(entry);
      log(warnOutcome.test(entry.outcome) ? "warn" : "info", fields.kind as string, fields);
    },
    refusal(entry) {
      audit.refusal(entry);
      log("warn", "refusal", { ...opsFields(entry), source: entry.source.slice(0, 100) });
    },
    recent: (limit, filter) => audit.recent(limit, filter),
  };
}

/** A notifier that writes each alert as one operations line, then hands it on. */
export function loggedNotifier(next: () => Notifier, log: LogFn): Notifier {
  return {
    async notify(alert: Alert) {
      const started = Date.now();
      try {
        await next().notify(alert);
        log(alert.severity === "info" ? "info" : "warn", "alert", alertFields(alert, "sent", started));
      } catch (error) {
        log("warn", "alert", {
          ...alertFields(alert, "not delivered", started),
          error: String(error).slice(0, 300),
        });
        throw error;
      }
    },
  };
}

function alertFields(alert: Alert, outcome: string, started: number): Record<string, unknown> {
  return {
    kind: "alert" satisfies OpsKind,
    alert: alert.key,
    severity: alert.severity,
    outcome,
    durationMs: Date.now() - started,
    text: alert.text.en.slice(0, 300),
  };
}
