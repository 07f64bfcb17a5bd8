/** The sidecar's action handlers, keyed by catalog name. */
import type { ActionName } from "../../protocol/actions/catalog.ts";
import type { Adapters } from "../adapters/index.ts";
import { createFix } from "../autofix/fix-action.ts";
import { createFixObservers, type FixObservers } from "../autofix/fix-observers.ts";
import type { CreatedRegistry } from "../creation/created-registry.ts";
import type { PeerProber } from "../peer/peer-prober.ts";
import { guard } from "../services/guard.ts";
import type { ActionHandler, HandlerTable } from "../services/handler.ts";
import { createBackup } from "./backup.ts";
import { createCodeAgent } from "./code-agent.ts";
import { createCodeApply } from "./code-apply.ts";
import { createCodeList } from "./code-list.ts";
import { createCodeRead } from "./code-read.ts";
import { createCodeRevert } from "./code-revert.ts";
import { createCodeSearch } from "./code-search.ts";
import { createConfig } from "./config.ts";
import { createCreatedList } from "./created-list.ts";
import { createCreatedRemove } from "./created-remove.ts";
import { createDeploy } from "./deploy.ts";
import { createErrors } from "./errors.ts";
import { createFiles } from "./files.ts";
import { createLogs } from "./logs.ts";
import { createMetrics } from "./metrics.ts";
import { createProbe } from "./probe.ts";
import { createReboot } from "./reboot.ts";
import { createRestart } from "./restart.ts";
import { createRestartSidecar } from "./restart-sidecar.ts";
import { createRestore } from "./restore.ts";
import { createScriptCreate } from "./script-create.ts";
import { createScriptRun } from "./script-run.ts";
import { createServiceCreate } from "./service-create.ts";
import { createStatus } from "./status.ts";

/** What handlers need of the sidecar host besides its adapters (see sidecar/host.ts). */
export interface HandlerHost {
  /** Told about the repairs `fix` runs: the auto-fix engine of the same host listens here. */
  readonly fixes: FixObservers;
  /** The peer prober, when VOXOPS_PEERS names peers (the `probe` action asks it). */
  readonly prober?: PeerProber | undefined;
  /** The sidecar's in-memory registry of what voxops created, read again after each create and remove. */
  readonly created?: CreatedRegistry | undefined;
}

/**
 * Every action's handler, typed from its definition: a handler that takes untyped arguments or returns
 * anything but its definition's output, or a catalog action without a handler, fails the type check.
 * Without a host, `fix` has observers of its own and `probe` has no peers.
 */
export function createHandlerTable(
  adapters: Adapters,
  host: HandlerHost = { fixes: createFixObservers() },
): HandlerTable {
  return {
    status: createStatus(adapters),
    logs: createLogs(adapters),
    metrics: createMetrics(adapters),
    errors: createErrors(adapters),
    files: createFiles(),
    restart: createRestart(adapters),
    fix: createFix(adapters, host.fixes),
    config: createConfig(adapters),
    deploy: createDeploy(adapters),
    backup: createBackup(adapters),
    restore: createRestore(adapters),
    reboot: createReboot(adapters),
    probe: createProbe(() => host.prober),
    "restart-sidecar": createRestartSidecar(),
    "code-list": createCodeList(adapters),
    "code-read": createCodeRead(adapters),
    "code-search": createCodeSearch(adapters),
    "code-apply": createCodeApply(adapters),
    "code-revert": createCodeRevert(adapters),
    "code-agent": createCodeAgent(adapters),
    "service-create": createServiceCreate(adapters, host.created),
    "script-create": createScriptCreate(adapters, host.created),
    "script-run": createScriptRun(adapters),
    "created-list": createCreatedList(adapters),
    "created-remove": createCreatedRemove(adapters, host.created),
  };
}

/**
 * The runner's view of the handler table, each handler guarded (adapter failures become action errors).
 * The runner calls a handler only with arguments the catalog parsed for that action (sidecar.ts), which is
 * what makes the untyped view safe.
 */
export function createHandlers(
  adapters: Adapters,
  host: HandlerHost = { fixes: createFixObservers() },
): Partial<Record<ActionName, ActionHandler>> {
  const table: Partial<Record<ActionName, ActionHandler>> = {};
  for (const [name, handler] of Object.entries(createHandlerTable(adapters, host)))
    table[name as ActionName] = guard(handler as ActionHandler);
  return table;
}
