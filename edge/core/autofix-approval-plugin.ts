/**
 * Auto-fix approval as a runtime plugin: it takes the sidecars' `fix.request` events (and audits their
 * reports) and answers the admins' `af:` approve buttons; see autofix-approval.ts. The gate's
 * pre-approval for the same setting is the runtime's (VOXOPS_AUTOFIX_APPROVAL, reported there).
 */
import { createAutofixApproval, parseApprovalMode } from "./autofix-approval.ts";
import type { RuntimePlugin } from "./runtime-plugin.ts";

/** Creates the auto-fix approval plugin. */
export function createAutofixApprovalPlugin(): RuntimePlugin {
  return {
    name: "auto-fix approval",
    attach(context) {
      const approval = createAutofixApproval({
        desk: context.desk,
        audit: context.audit,
        notifier: context.alerts,
        mode: parseApprovalMode(
          context.broken("autofix-approval") ? "operator" : context.settings.VOXOPS_AUTOFIX_APPROVAL,
        ).mode,
        log: context.log,
      });
      return {
        onEvent: (vm, frame) => approval.onEvent(vm, frame),
        buttons: { af: (actor, data, lang) => approval.handleButton(actor, data, lang) },
      };
    },
  };
}
