/**
 * Wires the watchdog to a controller: heartbeats and hellos in through its plugin's hooks, probes
 * and sidecar steps out through `controller.dispatch`, Oracle through the signed client when OCI_* is
 * configured, and the `wd:` alert buttons and reboot requests routed to it. Runtime-free.
 */

import type { Inventory } from "../../protocol/inventory.ts";
import type { Actor } from "../core/actors.ts";
import type { Clock } from "../core/clock.ts";
import type { Controller, ControllerHooks } from "../core/controller.ts";
import type { Notifier, Reply } from "../core/desk.ts";
import type { SqlStore } from "../core/store.ts";
import { createInstanceClient, type InstanceClient } from "../oracle/instance-client.ts";
import { type OracleSettings, oracleEnvNames, readOracleConfig } from "../oracle/oracle-config.ts";
import { createWatchdog, type RebootRequest, type Watchdog } from "./watchdog.ts";
import { parseWatchdogButton } from "./watchdog-alerts.ts";
import type { ResetBudget, WatchdogTimings, WatchedVm } from "./watchdog-config.ts";
import { readWatchdogTimings, type WatchdogTimingSettings } from "./watchdog-env.ts";
import type { EffectFailure, RebootReply } from "./watchdog-messages.ts";
import type { LeasePort, SidecarPort } from "./watchdog-ports.ts";
import type { RebootRecord } from "./watchdog-state.ts";
import { createSqlWatchdogStore, type WatchdogStore } from "./watchdog-store.ts";

/** What the watchdog needs from its host when it is attached to a controller. */
export interface AttachWatchdogOptions {
  readonly controller: Controller;
  readonly inventory: Inventory;
  readonly clock: Clock;
  /** The controller's SQL store (its `kv` table), or a ready watchdog store. */
  readonly store: SqlStore | WatchdogStore;
  readonly notifier: Notifier;
  /** The controller's typed settings (OCI_*, VOXOPS_WATCHDOG_TIMINGS, VOXOPS_PEER_PROBE_S, …). */
  readonly settings?: OracleSettings & WatchdogTimingSettings;
  /** The fencing lease; without one this controller always holds it (a lone edge or a local run). */
  readonly lease?: LeasePort;
  /** Overrides the Oracle client built from OCI_* (tests). */
  readonly oracle?: InstanceClient;
  readonly timings?: Partial<WatchdogTimings>;
  /** When this controller started without the sidecar sockets it had before; absent on a wake that kept them. */
  readonly controllerStartedAt?: number;
  readonly budget?: Partial<ResetBudget>;
  readonly onError?: (error: unknown, context: string) => void;
  /** Told each new stage of a human's reboot (read lazily, like the notifier). */
  readonly onRebootStage?: (vm: string, record: RebootRecord) => void | Promise<void>;
}

/** The attached watchdog, as a composition root uses it. */
export interface AttachedWatchdog {
  readonly watchdog: Watchdog;
  /** Controller hooks to merge into the controller's: hello and heartbeat feed the watchdog. */
  readonly hooks: Required<Pick<ControllerHooks, "onHello" | "onHeartbeat" | "onDisconnect">>;
  /** Periodic work: one watchdog tick; resolves when its probes and Oracle calls have finished. */
  tick(): Promise<void>;
  nextWakeAt(): Promise<number>;
  requestReboot(request: RebootRequest): Promise<RebootReply>;
  /** The last reboot a human asked of `vm`, as far as it has got. */
  rebootOf(vm: string): Promise<RebootRecord | undefined>;
  /** Answers a pressed `wd:` alert button, or undefined when the button is not the watchdog's. */
  handleButton(data: string, actor: Actor, lang?: "ru" | "en"): Promise<Reply | undefined>;
  /** Problems that keep the watchdog from fencing (no Oracle config), for the status view. */
  readonly problems: readonly string[];
}

const watchdogActor: Actor = { kind: "watchdog", id: "watchdog", role: "admin" };

const isSqlStore = (s: SqlStore | WatchdogStore): s is SqlStore => "exec" in s;

function failureOf(error: { code: string; message: string; retryable?: boolean } | undefined): EffectFailure {
  return {
    code: error?.code ?? "failed",
    message: error?.message ?? "the sidecar reported a failure",
    retryable: error?.retryable ?? false,
  };
}

/** Builds the sidecar port over the controller's dispatcher. */
export function createDispatchSidecarPort(controller: Controller): SidecarPort {
  return {
    async probe({ via, vm, timeoutMs }) {
      const outcome = await controller.dispatch({
        vm: via,
        action: "probe",
        args: { vm },
        actor: watchdogActor,
        timeoutMs,
      });
      if (!outcome.ok)
        return { reached: null, detail: `${via}: ${outcome.error?.message ?? "probe failed"}` };
      const out = outcome.output as { reached?: unknown; detail?: unknown } | undefined;
      const reached = typeof out?.reached === "boolean" ? out.reached : null;
      return { reached, ...(typeof out?.detail === "string" ? { detail: out.detail } : {}) };
    },
    async command({ vm, action, args, via, timeoutMs }) {
      const c = controller;
      // The catalog has no relay action; a step meant to go through a peer is sent directly when
      // the VM is connected here (e.g. to the other controller's link) and refused otherwise.
      if (via !== undefined && !c.connected(vm))
        return {
          ok: false,
          error: {
            code: "no-relay",
            message: `${vm}'s sidecar is not connected here and commands cannot be relayed through ${via}`,
            retryable: false,
          },
        };
      const outcome = await c.dispatch({ vm, action, args, actor: watchdogActor, timeoutMs });
      return outcome.ok ? { ok: true } : { ok: false, error: failureOf(outcome.error) };
    },
  };
}

/** The VMs the watchdog watches, from the inventory. */
export function watchedVms(inventory: Inventory): WatchedVm[] {
  return inventory.vms.map((v) => ({
    name: v.name,
    autoReset: v.autoReset,
    ...(v.oci ? { oci: { instanceId: v.oci.instanceId, region: v.oci.region } } : {}),
  }));
}

function statusText(
  w: Awaited<ReturnType<Watchdog["state"]>>,
  vm: string,
  clock: Clock,
): { ru: string; en: string } {
  const v = w.vms[vm];
  if (!v) return { ru: `Машины ${vm} нет в инвентаре.`, en: `${vm} is not in the inventory.` };
  const age = v.lastHeartbeatAt === null ? null : Math.round((clock.now() - v.lastHeartbeatAt) / 1000);
  const heard =
    age === null
      ? { ru: "сигналов не было", en: "never heard" }
      : { ru: `сигнал ${age} с назад`, en: `heard ${age} s ago` };
  const why = v.reasons.length > 0 ? ` (${v.reasons.join("; ")})` : "";
  return { ru: `${vm}: ${v.phase}, ${heard.ru}${why}.`, en: `${vm}: ${v.phase}, ${heard.en}${why}.` };
}

/** Attaches a watchdog to a controller. */
export function attachWatchdog(options: AttachWatchdogOptions): AttachedWatchdog {
  const settings = options.settings ?? {};
  const problems: string[] = [];
  let oracle = options.oracle;
  if (!oracle) {
    const oci = readOracleConfig(settings);
    if (oci.ok) oracle = createInstanceClient({ config: oci.config, now: () => options.clock.now() });
    else if (oracleEnvNames.some((name) => settings[name] !== undefined)) problems.push(...oci.errors);
    else problems.push("no OCI_* settings: the watchdog alerts but cannot reset VMs through Oracle Cloud");
  }
  const timings = { ...readWatchdogTimings(settings, problems), ...options.timings };
  const store = isSqlStore(options.store) ? createSqlWatchdogStore(options.store) : options.store;
  const controller = options.controller;
  const watchdog = createWatchdog({
    vms: watchedVms(options.inventory),
    timings,
    ...(options.budget ? { budget: options.budget } : {}),
    ...(options.controllerStartedAt === undefined
      ? {}
      : { controllerStartedAt: options.controllerStartedAt }),
    ports: {
      clock: options.clock,
      lease: options.lease ?? { holdsLease: () => true },
      store,
      sidecars: createDispatchSidecarPort(controller),
      oracle,
      notifier: options.notifier,
      audit: controller.audit,
      reboots: { onStage: (vm, record) => options.onRebootStage?.(vm, record) },
      ...(options.onError ? { onError: options.onError } : {}),
    },
  });
  const report = (context: string) => (error: unknown) => options.onError?.(error, context);

  return {
    watchdog,
    problems,
    hooks: {
      onHello: (vm, frame) => void watchdog.onHello(vm, frame.bootId).catch(report(`hello from ${vm}`)),
      onDisconnect: (vm) => void watchdog.onDisconnect(vm).catch(report(`${vm} disconnected`)),
      onHeartbeat: (vm, frame) => void watchdog.onHeartbeat(vm, frame).catch(report(`heartbeat from ${vm}`)),
    },
    async tick() {
      await watchdog.tick();
      await watchdog.idle();
    },
    nextWakeAt: () => watchdog.nextWakeAt(),
    requestReboot: (request) => watchdog.requestReboot(request),
    rebootOf: async (vm) => (await watchdog.state()).vms[vm]?.reboot ?? undefined,
    async handleButton(data, actor, lang = "ru") {
      const button = parseWatchdogButton(data);
      if (!button) return undefined;
      const { vm } = button;
      if (button.action === "reboot") {
        if (actor.role !== "admin")
          return {
            lang,
            text: lang === "ru" ? "Перезагрузка — только для админа." : "Only an admin may reboot a VM.",
          };
        const reply = await watchdog.requestReboot({
          vm,
          mode: "soft",
          reason: "reboot button on an alert",
          actor,
        });
        return { lang, text: reply.text[lang] };
      }
      if (button.action === "resume") {
        if (actor.role !== "admin")
          return {
            lang,
            text:
              lang === "ru" ? "Возобновить может только админ." : "Only an admin may resume the watchdog.",
          };
        await watchdog.resume(vm, actor);
        return {
          lang,
          text: lang === "ru" ? `Сторож снова следит за ${vm}.` : `The watchdog acts on ${vm} again.`,
        };
      }
      if (button.action === "status")
        return { lang, text: statusText(await watchdog.state(), vm, options.clock)[lang] };
      return undefined;
    },
  };
}
