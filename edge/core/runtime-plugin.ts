/**
 * A feature attached to the runtime (the watchdog, the fencing lease, auto-fix approval, alerts, the
 * code desk): what it may observe on the controller (hello, heartbeat, event, result, close) and what
 * it may provide (alert buttons, the reboot executor, the code desk, HTTP routes, periodic work).
 * Each host's composition root is a list of these.
 */
import type { Hono } from "hono";
import type { EventFrame, HeartbeatFrame, HelloFrame, ResultFrame } from "../../protocol/frames.ts";
import type { Inventory } from "../../protocol/inventory.ts";
import type { EdgeSettings } from "../../protocol/settings/edge-settings.ts";
import type { LlmHost } from "../llm/create-llm.ts";
import type { readLlmConfig } from "../llm/llm-config.ts";
import type { AppEnv } from "./app-env.ts";
import type { Audit } from "./audit.ts";
import type { Clock } from "./clock.ts";
import type { Controller, LogFn } from "./controller.ts";
import type { CreatedServices } from "./created-services.ts";
import type { Notifier } from "./desk.ts";
import type { ButtonHandler, CodeTextHandler } from "./desk-extensions.ts";
import type { OperatorDesk } from "./operator-desk.ts";
import type { RebootProgress } from "./reboot-report.ts";
import type { SqlStore } from "./store.ts";
import type { RebootPort } from "./submission.ts";

/** What the runtime gives each plugin when it attaches it: the running controller, desk and ports. */
export interface PluginContext {
  readonly controller: Controller;
  readonly desk: OperatorDesk;
  readonly audit: Audit;
  readonly store: SqlStore;
  readonly clock: Clock;
  readonly inventory: Inventory;
  /** Alerts to the admins: Telegram when it is configured, and always an operations log line. */
  readonly alerts: Notifier;
  readonly log: LogFn;
  /** The host's typed settings, parsed once at its start (protocol/settings/). */
  readonly settings: EdgeSettings;
  /** True when a setting `feature` depends on is wrong (it is reported; the feature stays off). */
  broken(feature: string): boolean;
  /** What voxops created (issue 13's services and scripts), kept in the store and joined to the inventory. */
  readonly created: CreatedServices;
  /** When this controller started without the sidecar sockets it had before (sidecars are dialling back); absent on a Durable Object wake that kept them. */
  readonly controllerStartedAt?: number;
  /** Tells whoever asked for a reboot each later stage (the Telegram user, in their language). */
  readonly tellReboot?: (
    vm: string,
    record: RebootProgress & { readonly actor: { readonly kind: string; readonly id: string } },
  ) => Promise<void>;
  /** The LLM settings as read, and the host's LLM binding (Workers AI on the edge). */
  readonly llm: ReturnType<typeof readLlmConfig>;
  readonly llmHost: LlmHost;
  /** Reports a setting the plugin cannot use, as a sentence (and in Russian, for the Russian admins); what depends on it is off, the rest runs. */
  problem(sentence: string, ru?: string): void;
  /** Points the Telegram webhook at this controller (when a bot with a webhook secret is configured). */
  setWebhook(): Promise<void>;
}

/** The hooks and contributions of one attached plugin; every member is optional. */
export interface AttachedPlugin {
  onHello?(vm: string, frame: HelloFrame): void;
  onHeartbeat?(vm: string, frame: HeartbeatFrame): void;
  /** A sidecar event; true when this plugin took it (later plugins and the alerts do not see it). */
  onEvent?(vm: string, frame: EventFrame): boolean;
  onResult?(vm: string, frame: ResultFrame): void;
  /** A sidecar's socket closed. */
  onClose?(vm: string): void;
  /** Alert-button handlers by the prefix of their data (`wd`, `af`, `ca`). */
  readonly buttons?: Readonly<Record<string, ButtonHandler>>;
  /** Runs reboots (the watchdog's executor). */
  readonly reboot?: RebootPort;
  /** The last reboot asked of a VM and how far it got. */
  readonly rebootProgress?: (vm: string) => Promise<RebootProgress | undefined>;
  /** True for words the code desk takes whatever the understanding layer says. */
  readonly codeClaims?: (text: string) => boolean;
  /** Answers text the understanding layer tagged as a code request. */
  readonly code?: CodeTextHandler;
  /** Mounts the plugin's HTTP routes. */
  mount?(app: Hono<AppEnv>): void;
  /** Periodic work, run from the host's alarm or timer. */
  tick?(): Promise<void>;
  /** When `tick` should run next (epoch ms). */
  nextWakeAt?(): Promise<number>;
}

/** A feature as a host lists it: its name and how it attaches. */
export interface RuntimePlugin {
  readonly name: string;
  attach(context: PluginContext): AttachedPlugin;
}
