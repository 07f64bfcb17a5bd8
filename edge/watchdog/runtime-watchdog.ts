/**
 * The watchdog as the composition root builds it: attached to the controller, with the fencing lease
 * from VOXOPS_LEASE_ROLE fed by the sidecars' `lease.grant` events, the lease audited on every
 * change, and the Telegram webhook pointed at this controller whenever it wins the lease.
 */

import type { EventFrame } from "../../protocol/frames.ts";
import type { Inventory } from "../../protocol/inventory.ts";
import type { EdgeSettings } from "../../protocol/settings/edge-settings.ts";
import type { Audit } from "../core/audit.ts";
import type { Clock } from "../core/clock.ts";
import type { Controller, LogFn } from "../core/controller.ts";
import type { Notifier } from "../core/desk.ts";
import type { SqlStore } from "../core/store.ts";
import { leaseFromEnv } from "../lease/lease-from-env.ts";
import type { OracleSettings } from "../oracle/oracle-config.ts";
import { type AttachedWatchdog, attachWatchdog } from "./attach.ts";
import type { WatchdogTimingSettings } from "./watchdog-env.ts";
import type { RebootRecord } from "./watchdog-state.ts";

/** The watchdog and its lease, ready for the runtime. */
export interface RuntimeWatchdog extends AttachedWatchdog {
  /** Takes `lease.grant` events; true when the event was the lease's. */
  onEvent(vm: string, frame: EventFrame): boolean;
  holdsLease(): boolean;
}

/** Builds the watchdog for a runtime. */
export function createRuntimeWatchdog(options: {
  controller: () => Controller;
  audit: Audit;
  store: SqlStore;
  clock: Clock;
  /** The controller's typed settings: the lease role, Oracle Cloud, the watchdog's timings. */
  settings: Partial<Pick<EdgeSettings, "VOXOPS_LEASE_ROLE">> & OracleSettings & WatchdogTimingSettings;
  inventory: Inventory;
  notifier: () => Notifier;
  log: LogFn;
  /** Points the Telegram webhook here (bot.api.setWebhook) when this controller wins the lease. */
  setWebhook?: (() => Promise<unknown>) | undefined;
  /** Told each new stage of a human's reboot, to tell whoever asked. */
  onRebootStage?: (vm: string, record: RebootRecord) => void | Promise<void>;
}): RuntimeWatchdog {
  const { log } = options;
  const leaseFor = (role: EdgeSettings["VOXOPS_LEASE_ROLE"]) =>
    leaseFromEnv({
      role,
      vms: options.inventory.vms.map((v) => v.name),
      clock: options.clock,
      onChange(holds, why) {
        options.audit.append({
          actor: { kind: "watchdog", id: "lease" },
          action: "watchdog.lease",
          target: String(role),
          outcome: holds ? "held" : "released",
          detail: why,
        });
        log("info", holds ? "fencing lease won" : "fencing lease lost", { why });
        if (holds && options.setWebhook)
          void options.setWebhook().catch((error: unknown) =>
            log("warn", "could not point the Telegram webhook here", {
              error: String(error).slice(0, 300),
            }),
          );
      },
    });
  let lease = leaseFor(options.settings.VOXOPS_LEASE_ROLE);
  // A lone controller holds the lease by itself; the lease port reads the current one, because a lone
  // controller that starts hearing votes switches to counting them (see onEvent).
  const leasePort = { holdsLease: () => lease?.holdsLease() ?? true };
  const attached = attachWatchdog({
    controller: options.controller,
    inventory: options.inventory,
    clock: options.clock,
    store: options.store,
    notifier: options.notifier,
    settings: options.settings,
    lease: leasePort,
    ...(options.onRebootStage ? { onRebootStage: options.onRebootStage } : {}),
    onError: (error, context) =>
      log("warn", "watchdog error", { context, error: String(error).slice(0, 300) }),
  });
  for (const problem of attached.problems) log("warn", "watchdog", { problem });
  return {
    ...attached,
    holdsLease: leasePort.holdsLease,
    onEvent(vm, frame) {
      if (frame.kind !== "lease.grant") return false;
      if (!lease) {
        // Sidecars vote only when they link to two controllers: a mirror exists, so a controller
        // deployed without VOXOPS_LEASE_ROLE must not keep fencing on its own. It becomes the primary.
        lease = leaseFor("primary");
        log(
          "warn",
          "a sidecar votes for a fencing lease: counting votes as the primary (set VOXOPS_LEASE_ROLE)",
          { vm },
        );
      }
      lease?.onGrant(vm, frame.data);
      return true;
    },
  };
}
