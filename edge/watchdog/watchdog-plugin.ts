/**
 * The watchdog as a runtime plugin: hellos and heartbeats feed it, its periodic work runs from the
 * host's alarm, reboots go through its executor, and it answers its `wd:` alert buttons (a reboot or
 * logs button is a request like any other, through the desk and its gate).
 */
import type { RuntimePlugin } from "../core/runtime-plugin.ts";
import type { LeasePort } from "../lease/lease-port.ts";
import { attachWatchdog } from "./attach.ts";
import { parseWatchdogButton } from "./watchdog-alerts.ts";

/** Creates the watchdog plugin; without a lease this controller always holds it (a lone edge or a local run). */
export function createWatchdogPlugin(options: { readonly lease?: LeasePort } = {}): RuntimePlugin {
  return {
    name: "watchdog",
    attach(context) {
      const { desk, log } = context;
      const watchdog = attachWatchdog({
        controller: context.controller,
        inventory: context.inventory,
        clock: context.clock,
        store: context.store,
        notifier: context.alerts,
        settings: context.settings,
        ...(context.tellReboot ? { onRebootStage: context.tellReboot } : {}),
        ...(options.lease ? { lease: options.lease } : {}),
        ...(context.controllerStartedAt === undefined
          ? {}
          : { controllerStartedAt: context.controllerStartedAt }),
        onError: (error, where) =>
          log("warn", "watchdog error", { context: where, error: String(error).slice(0, 300) }),
      });
      for (const problem of watchdog.problems) log("warn", "watchdog", { problem });
      return {
        ...watchdog.hooks,
        onClose: watchdog.hooks.onDisconnect,
        reboot: ({ vm, actor, reason, mode, lang }) =>
          watchdog.requestReboot({ vm, actor, reason, mode: mode ?? "soft", ...(lang ? { lang } : {}) }),
        rebootProgress: (vm) => watchdog.rebootOf(vm),
        buttons: {
          async wd(actor, data, lang) {
            const button = parseWatchdogButton(data);
            if (button?.action === "reboot" || button?.action === "logs") {
              const submitted = await desk.submit(actor, {
                action: button.action === "reboot" ? "reboot" : "errors",
                args: {},
                vms: [button.vm],
                lang,
                origin: `alert button ${data}`,
              });
              return desk.toReply(submitted, lang);
            }
            return watchdog.handleButton(data, actor, lang);
          },
        },
        tick: () => watchdog.tick(),
        nextWakeAt: () => watchdog.nextWakeAt(),
      };
    },
  };
}
