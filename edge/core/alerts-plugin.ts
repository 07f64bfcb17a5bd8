/**
 * Alerts as a runtime plugin, listed last: a sidecar event no other plugin took (a log alert, a fix
 * applied, a peer down, …) becomes an alert to the admins when it has words for them (event-alerts.ts).
 */
import { eventAlert } from "./event-alerts.ts";
import type { RuntimePlugin } from "./runtime-plugin.ts";

/** Creates the alerts plugin. */
export function createAlertsPlugin(): RuntimePlugin {
  return {
    name: "alerts",
    attach({ alerts, log }) {
      return {
        onEvent(vm, frame) {
          const alert = eventAlert(vm, frame);
          if (!alert) return false;
          void alerts
            .notify(alert)
            .catch((error: unknown) => log("warn", "alert failed", { error: String(error) }));
          return true;
        },
      };
    },
  };
}
