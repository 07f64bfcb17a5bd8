/**
 * The fencing lease as a runtime plugin: built from VOXOPS_LEASE_ROLE, fed by the sidecars'
 * `lease.grant` events, audited on every change, and pointing the Telegram webhook here whenever this
 * controller wins it. The watchdog asks it (as its LeasePort) before every reset.
 */
import type { AttachedPlugin, PluginContext, RuntimePlugin } from "../core/runtime-plugin.ts";
import type { FencingLease } from "./fencing-lease.ts";
import { leaseFromEnv } from "./lease-from-env.ts";
import type { LeasePort } from "./lease-port.ts";

/** What the lease needs of the runtime. */
export type LeaseContext = Pick<
  PluginContext,
  "audit" | "clock" | "settings" | "inventory" | "log" | "setWebhook"
>;

/** The lease plugin; until it is attached, and while this is the only controller, it holds the lease. */
export interface LeasePlugin extends RuntimePlugin, LeasePort {
  attach(context: LeaseContext): AttachedPlugin;
}

/** Creates the lease plugin. */
export function createLeasePlugin(): LeasePlugin {
  // The lease in force: none for a lone controller; a primary's once a sidecar's vote shows a mirror exists.
  let lease: FencingLease | undefined;
  return {
    name: "fencing lease",
    holdsLease: () => lease?.holdsLease() ?? true,
    attach(context) {
      const { log } = context;
      const leaseFor = (role: PluginContext["settings"]["VOXOPS_LEASE_ROLE"]) =>
        leaseFromEnv({
          role,
          vms: context.inventory.vms.map((v) => v.name),
          clock: context.clock,
          onChange(holds, why) {
            context.audit.append({
              actor: { kind: "watchdog", id: "lease" },
              action: "watchdog.lease",
              target: String(role),
              outcome: holds ? "held" : "released",
              detail: why,
            });
            log("info", holds ? "fencing lease won" : "fencing lease lost", { why });
            if (holds)
              void context.setWebhook().catch((error: unknown) =>
                log("warn", "could not point the Telegram webhook here", {
                  error: String(error).slice(0, 300),
                }),
              );
          },
        });
      lease = leaseFor(context.settings.VOXOPS_LEASE_ROLE);
      return {
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
    },
  };
}
