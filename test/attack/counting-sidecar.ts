/**
 * A real sidecar process (real link, journal, frame handling) for the attack suite. Every action
 * that would change this machine (restart, reboot, config, deploy, fix, backup, restore, …) is
 * replaced by a stand-in that only appends "<action> <args>" to COUNT_FILE and waits SLOW_MS, so the
 * suite can see how often a command really ran without touching the machine it runs on.
 */
import { appendFileSync } from "node:fs";
import type { ActionName } from "../../protocol/actions/catalog.ts";
import { createHandlers } from "../../sidecar/actions/index.ts";
import { createAdapters } from "../../sidecar/adapters/index.ts";
import { loadSidecarInventory } from "../../sidecar/main.ts";
import type { ActionContext, ActionHandler } from "../../sidecar/services/handler.ts";
import { resolveService } from "../../sidecar/services/targets.ts";
import { startSidecar } from "../../sidecar/sidecar.ts";

// The real handlers over adapters configured from the environment, as the sidecar builds them.
const handlers = createHandlers(createAdapters());

const env = process.env;
const vm = env.VOXOPS_VM ?? "vm1";
const slowMs = Number(env.SLOW_MS ?? 0);
const reads = new Set<string>(["status", "metrics", "probe"]);
const counted = Object.fromEntries(
  Object.keys(handlers)
    .filter((name) => !reads.has(name))
    .map((name) => [
      name,
      (async (args: Record<string, unknown>, ctx: ActionContext) => {
        // The real sidecar's own boundary: a service its inventory does not list is refused.
        if (args.service !== undefined) resolveService(ctx, args.service);
        appendFileSync(env.COUNT_FILE ?? "", `${name} ${JSON.stringify(args)}\n`);
        await new Promise((r) => setTimeout(r, slowMs));
        return { ran: name };
      }) as unknown as ActionHandler,
    ]),
) as Partial<Record<ActionName, ActionHandler>>;
const sidecar = startSidecar({
  vm,
  key: env.VOXOPS_SIDECAR_KEY ?? "",
  controllers: (env.VOXOPS_CONTROLLERS ?? "").split(","),
  inventory: loadSidecarInventory(vm, env.VOXOPS_INVENTORY_FILE),
  stateDir: env.VOXOPS_STATE_DIR ?? "",
  heartbeatMs: 500,
  minUptimeMs: 1000,
  handlers: { ...handlers, ...counted },
});
process.once("SIGTERM", () => {
  sidecar.stop();
  process.exit(0);
});
