/**
 * A real sidecar process (real link, journal and handlers) whose `restart` handler is replaced by a
 * slow one that counts its runs in a file, so tests can see how often a command really ran.
 */
import { appendFileSync } from "node:fs";
import { createHandlers } from "../../sidecar/actions/index.ts";
import { createAdapters } from "../../sidecar/adapters/index.ts";

import { loadSidecarInventory } from "../../sidecar/main.ts";
import { startSidecar } from "../../sidecar/sidecar.ts";

// The real handlers over adapters configured from the environment, as the sidecar builds them.
const handlers = createHandlers(createAdapters());

const env = process.env;
const vm = env.VOXOPS_VM ?? "vm1";
const slowMs = Number(env.SLOW_MS ?? 1000);
const sidecar = startSidecar({
  vm,
  key: env.VOXOPS_SIDECAR_KEY ?? "",
  controllers: (env.VOXOPS_CONTROLLERS ?? "").split(","),
  inventory: loadSidecarInventory(vm, undefined),
  stateDir: env.VOXOPS_STATE_DIR ?? "",
  heartbeatMs: 500,
  minUptimeMs: 1000,
  handlers: {
    ...handlers,
    restart: async (args) => {
      appendFileSync(env.COUNT_FILE ?? "", `${String(args.service)}\n`);
      await new Promise((r) => setTimeout(r, slowMs));
      return { restarted: args.service };
    },
  },
});
process.once("SIGTERM", () => {
  sidecar.stop();
  process.exit(0);
});
