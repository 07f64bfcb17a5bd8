/**
 * The watchdog as hosts use it: feed it heartbeats and ticks, ask it for reboots; it keeps its state
 * in the store (saved before any effect runs), runs effects through the executor and feeds their
 * outcomes back. Inputs are processed one at a time; effects run concurrently.
 *
 * Host wiring: call `onHeartbeat`/`onHello` from the controller's hooks, `tick()` from the Durable
 * Object alarm or a Node timer, then schedule the next tick at `nextWakeAt()`; in an alarm, `await
 * idle()` before returning so probes and Oracle calls finish while the object is awake.
 */

import type { HeartbeatFrame } from "../../protocol/frames.ts";
import type { Actor } from "../core/actors.ts";
import {
  createWatchdogSettings,
  type ResetBudget,
  type WatchdogTimings,
  type WatchedVm,
} from "./watchdog-config.ts";
import { createWatchdogExecutor } from "./watchdog-executor.ts";
import type { RebootReply, StepOutput, WatchdogInput } from "./watchdog-messages.ts";
import type { WatchdogPorts } from "./watchdog-ports.ts";
import { nextWakeAt } from "./watchdog-schedule.ts";
import { createWatchdogState, type FenceActor, type WatchdogState } from "./watchdog-state.ts";
import { stepWatchdog } from "./watchdog-step.ts";

/** Options of the watchdog: the VMs to watch (from the inventory), timings, budget and ports. */
export interface WatchdogOptions {
  readonly vms: readonly WatchedVm[];
  readonly timings?: Partial<WatchdogTimings>;
  readonly budget?: Partial<ResetBudget>;
  readonly ports: WatchdogPorts;
  /** When this controller started without the sidecar sockets it had before; absent on a wake that kept them. */
  readonly controllerStartedAt?: number;
}

/** A human's (or the API's) request to reboot a VM. */
export interface RebootRequest {
  readonly vm: string;
  readonly mode?: "soft" | "hard";
  readonly reason: string;
  readonly actor: Pick<Actor, "kind" | "id">;
  /** The asker's language, for the reboot's later messages. */
  readonly lang?: "ru" | "en";
}

/** The watchdog's surface for hosts and the desk. */
export interface Watchdog {
  onHeartbeat(vm: string, frame: Pick<HeartbeatFrame, "figures" | "peers">): Promise<void>;
  /** A sidecar (re)connected: counts as a sign of life; `bootId` tells a new boot from the same one. */
  onHello(vm: string, bootId?: string): Promise<void>;
  /** A sidecar's socket closed (a reboot under way shows here first). */
  onDisconnect(vm: string): Promise<void>;
  tick(): Promise<void>;
  requestReboot(request: RebootRequest): Promise<RebootReply>;
  /** Lets the watchdog act on a VM it gave up on. */
  resume(vm: string, actor: Pick<Actor, "kind" | "id">): Promise<void>;
  /** Resolves when every running effect and its follow-ups have finished. */
  idle(): Promise<void>;
  /** When the host should call `tick()` next (epoch ms). */
  nextWakeAt(): Promise<number>;
  /** The current state (a copy), for status views and tests. */
  state(): Promise<WatchdogState>;
}

const actorOf = (a: Pick<Actor, "kind" | "id">): FenceActor => ({ kind: a.kind, id: a.id });

/** Creates a watchdog; its state is loaded from the store on first use. */
export function createWatchdog(options: WatchdogOptions): Watchdog {
  const { ports } = options;
  const settings = createWatchdogSettings(options);
  const execute = createWatchdogExecutor(ports);
  const inflight = new Set<Promise<void>>();
  let current: WatchdogState | undefined;
  let chain: Promise<unknown> = Promise.resolve();

  async function load(): Promise<WatchdogState> {
    current ??=
      (await ports.store.loadState()) ??
      createWatchdogState(
        settings.vms.map((v) => v.name),
        ports.clock.now(),
      );
    return current;
  }

  function launch(output: StepOutput<WatchdogState>): void {
    for (const effect of output.effects) {
      const run: Promise<void> = execute(effect)
        .then((next) => (next ? dispatch(next).then(() => undefined) : undefined))
        .catch((error: unknown) => ports.onError?.(error, `effect ${effect.kind}`))
        .finally(() => inflight.delete(run));
      inflight.add(run);
    }
  }

  function dispatch(input: WatchdogInput): Promise<StepOutput<WatchdogState>> {
    const run = chain.then(async () => {
      const state = await load();
      const output = stepWatchdog(state, input, settings, {
        now: ports.clock.now(),
        leader: ports.lease.holdsLease(),
      });
      await ports.store.saveState(output.state);
      current = output.state;
      launch(output);
      return output;
    });
    chain = run.catch(() => undefined);
    return run;
  }

  // Before any other input: silence from before this start is not the VMs' (see observers.ts).
  if (options.controllerStartedAt !== undefined)
    dispatch({ type: "controller-start", at: options.controllerStartedAt }).catch((error: unknown) =>
      ports.onError?.(error, "controller start"),
    );

  return {
    async onHeartbeat(vm, frame) {
      await dispatch({ type: "heartbeat", vm, uptimeS: frame.figures.uptimeS, peers: frame.peers });
    },
    async onHello(vm, bootId) {
      await dispatch({ type: "heartbeat", vm, ...(bootId === undefined ? {} : { bootId }) });
    },
    async onDisconnect(vm) {
      await dispatch({ type: "link-closed", vm });
    },
    async tick() {
      await dispatch({ type: "tick" });
    },
    async requestReboot(request) {
      const output = await dispatch({
        type: "reboot-request",
        vm: request.vm,
        mode: request.mode ?? "soft",
        reason: request.reason,
        actor: actorOf(request.actor),
        ...(request.lang ? { lang: request.lang } : {}),
      });
      return (
        output.reply ?? { accepted: false, vm: request.vm, text: { ru: "Не удалось.", en: "Not done." } }
      );
    },
    async resume(vm, actor) {
      await dispatch({ type: "resume", vm, actor: actorOf(actor) });
    },
    async idle() {
      for (let round = 0; round < 1_000 && inflight.size > 0; round++)
        await Promise.allSettled([...inflight]);
    },
    async nextWakeAt() {
      await chain;
      return nextWakeAt(await load(), settings, ports.clock.now());
    },
    async state() {
      await chain;
      return structuredClone(await load());
    },
  };
}
