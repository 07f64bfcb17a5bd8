/** The sidecar's command line: `voxops sidecar --controller URL --vm NAME` (key in VOXOPS_SIDECAR_KEY). */
import { actionArgs } from "../protocol/actions/catalog.ts";
import { parseCommandLine } from "../protocol/command-line.ts";
import { withCreatedServices } from "../protocol/created-inventory.ts";
import { vmNameSchema } from "../protocol/frames.ts";
import type { Inventory, VmSpec } from "../protocol/inventory.ts";
import { knownSettingNames } from "../protocol/settings/known-settings.ts";
import { parseSettings } from "../protocol/settings/parse-settings.ts";
import { type SidecarSettings, sidecarSettings } from "../protocol/settings/sidecar-settings.ts";
import { createStderrLog } from "../protocol/stderr-log.ts";
import type { Adapters } from "./adapters/index.ts";
import { loadSidecarInventory } from "./adapters/inventory-file.ts";
import { type CreatedRegistry, openCreatedRegistry, registryPathFor } from "./creation/created-registry.ts";
import { createSidecarHost, type SidecarHost } from "./host.ts";
import type { SidecarLog } from "./link.ts";
import { startPeering } from "./peer/peering.ts";
import { ActionError, type ActionHandler } from "./services/handler.ts";
import { startSidecar } from "./sidecar.ts";

const usage = `usage: voxops sidecar --controller URL [--controller URL2] --vm NAME [--inventory FILE] [--state-dir DIR]
  The VM's key comes from VOXOPS_SIDECAR_KEY (never from the command line).
  Controllers may also be given as VOXOPS_CONTROLLERS (comma-separated), the inventory as VOXOPS_INVENTORY_FILE.`;

const commandLine = {
  name: "sidecar",
  help: usage,
  options: {
    controller: { type: "string", multiple: true },
    vm: { type: "string" },
    inventory: { type: "string" },
    "state-dir": { type: "string" },
  },
} as const;

export { loadSidecarInventory };

type HandlerTable = Partial<Record<string, ActionHandler>>;

/**
 * A handler for every catalog action that loads the real handlers on first use: an idle sidecar keeps
 * the action modules (config validation, deploy, backup, git) out of memory until a command arrives.
 */
function lazyHandlers(load: () => Promise<HandlerTable>): Record<string, ActionHandler> {
  const table: Record<string, ActionHandler> = {};
  for (const name of Object.keys(actionArgs))
    table[name] = async (args, ctx) => {
      const handler = (await load())[name];
      if (!handler) throw new ActionError("unsupported", `this sidecar cannot run ${name}`);
      return handler(args, ctx);
    };
  return table;
}

/**
 * The inventory as the hello shows it, read afresh at each hello: this VM's services narrowed to those
 * `shown` keeps (what systemd had at discovery, and what voxops created since).
 */
function helloInventory(inventory: Inventory, vm: string, shown: (service: string) => boolean): Inventory {
  const narrowed = (spec: VmSpec): VmSpec =>
    spec.name === vm ? { ...spec, services: spec.services.filter((s) => shown(s.name)) } : spec;
  const one = (name: string) => {
    const spec = inventory.vm(name);
    return spec ? narrowed(spec) : undefined;
  };
  return {
    get vms() {
      return inventory.vms.map(narrowed);
    },
    backup: inventory.backup,
    vm: one,
    vmsWithService: (service) =>
      inventory.vms.filter((v) => narrowed(v).services.some((s) => s.name === service)).map((v) => v.name),
    service: (name, service) => one(name)?.services.find((s) => s.name === service),
  };
}

/** Starts the VM-side work around the link on the sidecar's host: discovery and the handlers. */
async function startVmWork(host: SidecarHost, created: CreatedRegistry) {
  const { adapters, vm, inventory, log } = host;
  let table: Promise<HandlerTable> | undefined;
  const load = (): Promise<HandlerTable> => {
    table ??= import("./actions/index.ts").then((m) => m.createHandlers(adapters, host));
    return table;
  };
  const { discoverServices } = await import("./actions/discover.ts");
  const discovery = await discoverServices(adapters, vm, inventory);
  for (const problem of discovery.problems) log("warn", problem);
  if (discovery.missing.length > 0)
    log("warn", "services without a unit on this VM", { missing: discovery.missing });
  return {
    handlers: lazyHandlers(load),
    shown:
      discovery.problems.length === 0
        ? helloInventory(
            inventory,
            vm,
            (name) => discovery.present.includes(name) || created.records().some((r) => r.name === name),
          )
        : inventory,
  };
}

/** Runs a sidecar until SIGINT/SIGTERM; returns the exit code. */
export async function main(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const line = parseCommandLine(commandLine, argv);
  if (!line.run) return line.exitCode;
  const { values } = line;
  // The one parse of the sidecar's environment; everything below reads the typed settings.
  const parsed = parseSettings(sidecarSettings, env, knownSettingNames);
  const settings = parsed.values;
  const controllers = values.controller ?? [...settings.VOXOPS_CONTROLLERS];
  const vm = values.vm ?? settings.VOXOPS_VM;
  const key = settings.VOXOPS_SIDECAR_KEY;
  // Build steps, package installs and git hooks run as children of this process: they must not
  // inherit the VM's keys (with them a script could speak for this VM to the controller).
  delete env.VOXOPS_SIDECAR_KEY;
  // A wrong VOXOPS_VM does not matter when --vm is given.
  const problems: string[] = parsed.problems
    .filter((p) => p.features.includes("link") && !(p.setting === "VOXOPS_VM" && values.vm !== undefined))
    .map((p) => p.sentence);
  if (controllers.length === 0) problems.push("no controller: pass --controller URL");
  if (vm === undefined || !vmNameSchema.safeParse(vm).success)
    problems.push("--vm NAME is required (lowercase letters, digits, dashes)");
  if (key === undefined && !parsed.broken("link"))
    problems.push("VOXOPS_SIDECAR_KEY must hold this VM's key (16+ characters)");
  for (const c of controllers)
    if (!/^(https?|wss?):\/\//.test(c)) problems.push(`not a controller URL: ${c}`);
  if (problems.length > 0 || vm === undefined || key === undefined) {
    process.stderr.write(`voxops sidecar: ${problems.join("; ")}\n${usage}\n`);
    return 2;
  }
  let inventory: Inventory;
  try {
    inventory = loadSidecarInventory(vm, values.inventory ?? settings.VOXOPS_INVENTORY_FILE);
  } catch (error) {
    process.stderr.write(`voxops sidecar: ${(error as Error).message}\n`);
    return 2;
  }
  const log = createStderrLog({
    name: `sidecar:${vm}`,
    secrets: () => [key],
    quiet: settings.VOXOPS_QUIET,
  });
  // A wrong value is said once and turns off only what needs it; a misspelt name is said once too.
  for (const problem of parsed.problems)
    if (!problem.features.includes("link")) log("warn", problem.sentence);
  for (const sentence of parsed.unknown) log("warn", sentence);
  let peering: Awaited<ReturnType<typeof startPeering>>;
  try {
    peering = await startPeering(vm, controllers, settings, {
      peer: !parsed.broken("peer"),
      lease: !parsed.broken("lease"),
    });
  } catch (error) {
    process.stderr.write(`voxops sidecar: ${(error as Error).message}\n`);
    return 2;
  }
  delete env.VOXOPS_PEER_KEY;
  const stateDir = values["state-dir"] ?? settings.VOXOPS_STATE_DIR ?? `.voxops/sidecar-${vm}`;
  // Services voxops created (issue 13) join the inventory from the registry beside the inventory file.
  env.VOXOPS_CREATED_FILE ??= registryPathFor(values.inventory ?? env.VOXOPS_INVENTORY_FILE, stateDir);
  // Kept in memory: read now, after each create or remove, and when the file changes (seen at heartbeats).
  const created = openCreatedRegistry(env.VOXOPS_CREATED_FILE);
  inventory = withCreatedServices(inventory, (name) => (name === vm ? created.records() : []));
  const { createAdapters } = await import("./adapters/index.ts");
  const adapters = createAdapters({
    env,
    stateDir,
    agentPaths: (settings.VOXOPS_AGENT_PATHS ?? "")
      .split(":")
      .filter((p) => p.startsWith("/") && !p.split("/").includes("..")),
    ...(settings.VOXOPS_HELPER ? { helper: settings.VOXOPS_HELPER } : {}),
    ...(settings.VOXOPS_SYSTEMCTL ? { systemctl: settings.VOXOPS_SYSTEMCTL } : {}),
    ...(settings.VOXOPS_JOURNALCTL ? { journalctl: settings.VOXOPS_JOURNALCTL } : {}),
    ...(settings.VOXOPS_GIT ? { git: settings.VOXOPS_GIT } : {}),
  });
  const { loadSettings } = await import("./autofix/settings.ts");
  // A wrong auto-fix value is already said above; the rest of the auto-fix settings still apply.
  const loaded = loadSettings({
    VOXOPS_AUTOFIX: settings.VOXOPS_AUTOFIX,
    VOXOPS_AUTOFIX_RULES: settings.VOXOPS_AUTOFIX_RULES,
    VOXOPS_AUTOFIX_FILE: settings.VOXOPS_AUTOFIX_FILE,
  });
  for (const problem of loaded.problems) log("warn", `auto-fix setting ignored: ${problem}`);
  const host = createSidecarHost({
    vm,
    inventory,
    stateDir,
    adapters,
    settings: loaded.settings,
    log,
    prober: peering.prober,
    created,
  });
  const work = await startVmWork(host, created);
  let onFailedUnits: (units: readonly string[]) => void = () => {};
  let systemdWarned = false;
  const sidecar = startSidecar({
    ...peering.sidecarOptions,
    vm,
    key,
    controllers,
    // The hello names the services discovery found; handlers still see the whole inventory.
    inventory: work.shown,
    created: () => created.records(),
    extendContext: (base) => ({ ...base, inventory }),
    handlers: work.handlers,
    failedUnits: async () => {
      // A registry changed on disk under the sidecar (the helper run by hand) is read here.
      created.refresh();
      // A VM without systemd (or a local run) still sends heartbeats: no failed units, said once in the log.
      const units = await host.adapters.systemd.failedUnits().catch((e: unknown) => {
        if (!systemdWarned) log("warn", "cannot list failed units", { error: String(e) });
        systemdWarned = true;
        return [] as string[];
      });
      onFailedUnits(units);
      return units;
    },
    log,
    stateDir,
    heartbeatMs: settings.VOXOPS_HEARTBEAT_S * 1000,
  });
  const hours = parsed.broken("backup") ? 0 : settings.VOXOPS_BACKUP_EVERY_H;
  const schedule = await startBackupSchedule(vm, inventory, hours, log, host.adapters, sidecar.emit);
  const autofixSettings = host.settings;
  const { createAutofix } = await import("./autofix/watcher.ts");
  const autofix = createAutofix({
    adapters: host.adapters,
    fixes: host.fixes,
    vm,
    inventory,
    settings: autofixSettings,
    emit: (kind, data) => sidecar.emit(kind, data),
    onProblem: (message, fields) => log("warn", message, fields),
  });
  onFailedUnits = (units) => autofix.onFailedUnits(units);
  // A service created or removed is watched, and announced to the controllers, at once.
  const unlisten = created.onChange((records) => {
    log("info", "created services changed", { created: records.map((r) => r.name) });
    sidecar.announce();
    autofix
      .rewatch()
      .catch((e: unknown) => log("warn", "auto-fix could not follow the new services", { error: String(e) }));
  });
  await autofix.start().catch((e: unknown) => log("warn", "auto-fix could not start", { error: String(e) }));
  log("info", "auto-fix", { mode: autofixSettings.mode, rules: autofixSettings.rules });
  await new Promise<void>((resolve) => {
    process.once("SIGINT", resolve);
    process.once("SIGTERM", resolve);
  });
  unlisten();
  schedule?.stop();
  await autofix.stop();
  sidecar.stop();
  await peering.stop();
  return 0;
}

/** Backs up every VOXOPS_BACKUP_EVERY_H hours (default 24; 0 turns it off); nothing when no backup repo is configured. */
async function startBackupSchedule(
  vm: string,
  inventory: Inventory,
  hours: number,
  log: SidecarLog,
  adapters: Adapters,
  emit: (kind: string, data: Record<string, unknown>) => void,
) {
  if (!inventory.backup || hours <= 0) return undefined;
  const { createBackupSchedule } = await import("./services/backup-schedule.ts");
  return createBackupSchedule({
    everyMs: hours * 3600_000,
    run: async (reason) =>
      (await import("./services/backup.ts")).runBackup(adapters, { vm, inventory }, reason),
    onResult: (r) => log("info", "scheduled backup", { commit: r.commit, changed: r.changed }),
    onError: (e) => {
      const message = e instanceof Error ? e.message : String(e);
      log("warn", "scheduled backup failed", { error: message });
      emit("backup.failed", { reason: "scheduled backup", error: message.slice(0, 1000) });
    },
  });
}
