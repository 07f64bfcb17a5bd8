/**
 * The one object a sidecar process runs on, made by main.ts and passed down: its adapters, inventory,
 * auto-fix settings, log, clock, peer prober, and the fix observers its `fix` action and its auto-fix
 * engine share. Nothing in the sidecar keeps module-level state, and importing a module starts nothing.
 */
import type { Inventory } from "../protocol/inventory.ts";
import type { HandlerHost } from "./actions/index.ts";
import type { Adapters } from "./adapters/index.ts";
import { createFixObservers, type FixObservers } from "./autofix/fix-observers.ts";
import type { AutofixSettings } from "./autofix/settings.ts";
import type { CreatedRegistry } from "./creation/created-registry.ts";
import type { SidecarLog } from "./link.ts";
import type { PeerProber } from "./peer/peer-prober.ts";

/** Everything the handlers and auto-fix of one sidecar use. */
export interface SidecarHost extends HandlerHost {
  readonly vm: string;
  /** The whole inventory (the hello shows only the services discovery found). */
  readonly inventory: Inventory;
  readonly stateDir: string;
  readonly adapters: Adapters;
  readonly settings: AutofixSettings;
  readonly log: SidecarLog;
  readonly clock: { now(): number };
  readonly prober: PeerProber | undefined;
  readonly fixes: FixObservers;
}

/** Builds the host from the adapters and auto-fix settings main.ts made from the parsed settings. */
export function createSidecarHost(options: {
  readonly vm: string;
  readonly inventory: Inventory;
  readonly stateDir: string;
  readonly adapters: Adapters;
  readonly settings: AutofixSettings;
  readonly log: SidecarLog;
  readonly prober: PeerProber | undefined;
  readonly created?: CreatedRegistry;
}): SidecarHost {
  return {
    vm: options.vm,
    inventory: options.inventory,
    stateDir: options.stateDir,
    adapters: options.adapters,
    settings: options.settings,
    log: options.log,
    clock: { now: () => Date.now() },
    prober: options.prober,
    fixes: createFixObservers(),
    ...(options.created ? { created: options.created } : {}),
  };
}
