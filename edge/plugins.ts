/**
 * Each host's list of features (the composition root's plugins). The edge and the Fly mirror share
 * the fencing lease, so the watchdog there asks it before every reset; the local run is a lone
 * controller, so its watchdog always holds the lease. Order matters for events: the lease takes
 * `lease.grant`, auto-fix approval takes `fix.request`, and the alerts come last.
 */
import { createCodePlugin } from "./code/code-plugin.ts";
import { createAlertsPlugin } from "./core/alerts-plugin.ts";
import { createAutofixApprovalPlugin } from "./core/autofix-approval-plugin.ts";
import type { RuntimePlugin } from "./core/runtime-plugin.ts";
import { createLeasePlugin } from "./lease/lease-plugin.ts";
import { createWatchdogPlugin } from "./watchdog/watchdog-plugin.ts";

/** A controller that may share the fleet with another (the edge's Durable Object, the Fly mirror). */
function fencedPlugins(): RuntimePlugin[] {
  const lease = createLeasePlugin();
  return [
    lease,
    createWatchdogPlugin({ lease }),
    createAutofixApprovalPlugin(),
    createCodePlugin(),
    createAlertsPlugin(),
  ];
}

/** The Worker's Durable Object. */
export const edgePlugins = fencedPlugins;

/** The Fly mirror (the Node host as deployed); also the Node host's default. */
export const mirrorPlugins = fencedPlugins;

/** `npm start`: the local run, a lone controller with a sidecar for this machine. */
export function localRunPlugins(): RuntimePlugin[] {
  return [createWatchdogPlugin(), createAutofixApprovalPlugin(), createCodePlugin(), createAlertsPlugin()];
}
