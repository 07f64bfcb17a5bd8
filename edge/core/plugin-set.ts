/**
 * The plugins of one runtime seen as one: controller hooks and desk extensions that fan out to the
 * attached plugins in list order, their routes, and their periodic work. The controller and the desk
 * are built with these first; the plugins attach once both exist, before the host serves anything.
 */
import type { Hono } from "hono";
import type { AppEnv } from "./app-env.ts";
import type { ControllerHooks } from "./controller.ts";
import type { DeskExtensions } from "./desk-extensions.ts";
import type { AttachedPlugin, PluginContext, RuntimePlugin } from "./runtime-plugin.ts";

/** The attached plugins as the runtime drives them. */
export interface PluginSet {
  /** For the controller: each hook goes to every plugin that has it; an event stops at the first that takes it. */
  readonly hooks: ControllerHooks;
  /** For the desk: the first plugin that provides a button prefix, the reboot executor, the code desk. */
  readonly desk: DeskExtensions;
  /** Attaches every plugin with the running controller and desk; a second call is refused. */
  attach(context: PluginContext): void;
  /** Mounts every plugin's routes. */
  mount(app: Hono<AppEnv>): void;
  /** Runs every plugin's periodic work. */
  tick(): Promise<void>;
  /** The earliest time a plugin wants its periodic work run (epoch ms; Infinity when none does). */
  nextWakeAt(): Promise<number>;
}

/** A sidecar event no plugin took: the alerts' fallback. */
export type UnclaimedEvent = NonNullable<ControllerHooks["onEvent"]>;

/** Creates the set over a host's list of plugins. */
export function createPluginSet(
  plugins: readonly RuntimePlugin[],
  onError: (error: unknown, plugin: string) => void,
): PluginSet {
  const attached: { readonly name: string; readonly plugin: AttachedPlugin }[] = [];
  // A hook that throws is one plugin's fault: it is logged and the others still hear the frame.
  const each = (call: (p: AttachedPlugin) => void): void => {
    for (const { name, plugin } of attached)
      try {
        call(plugin);
      } catch (error) {
        onError(error, name);
      }
  };
  const first = <T>(pick: (p: AttachedPlugin) => T | undefined): T | undefined => {
    for (const { plugin } of attached) {
      const found = pick(plugin);
      if (found !== undefined) return found;
    }
    return undefined;
  };
  return {
    hooks: {
      onHello: (vm, frame) => each((p) => p.onHello?.(vm, frame)),
      onHeartbeat: (vm, frame) => each((p) => p.onHeartbeat?.(vm, frame)),
      onEvent(vm, frame) {
        for (const { name, plugin } of attached)
          try {
            if (plugin.onEvent?.(vm, frame)) return;
          } catch (error) {
            onError(error, name);
          }
      },
      onResult: (vm, frame) => each((p) => p.onResult?.(vm, frame)),
      onDisconnect: (vm) => each((p) => p.onClose?.(vm)),
    },
    desk: {
      button: (prefix) => first((p) => p.buttons?.[prefix]),
      reboot: () => first((p) => p.reboot),
      rebootProgress: () => first((p) => p.rebootProgress),
      codeClaims: () => first((p) => p.codeClaims),
      code: () => first((p) => p.code),
    },
    attach(context) {
      if (attached.length > 0) throw new Error("the runtime's plugins are already attached");
      for (const plugin of plugins) attached.push({ name: plugin.name, plugin: plugin.attach(context) });
    },
    mount: (app) => each((p) => p.mount?.(app)),
    async tick() {
      // One plugin's failing periodic work is its own fault: reported under its name, the others still run.
      const runs = await Promise.allSettled(attached.map(({ plugin }) => plugin.tick?.()));
      runs.forEach((run, i) => {
        if (run.status === "rejected") onError(run.reason, attached[i]?.name ?? "?");
      });
    },
    async nextWakeAt() {
      const times = await Promise.all(attached.map(({ plugin }) => plugin.nextWakeAt?.()));
      return Math.min(Number.POSITIVE_INFINITY, ...times.filter((t): t is number => t !== undefined));
    },
  };
}
