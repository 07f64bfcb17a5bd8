/** The sidecar's command line: `voxops sidecar --controller URL --vm NAME` (key in VOXOPS_SIDECAR_KEY). */
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { createStderrLog } from "../edge/node/log.ts";
import { vmNameSchema } from "../edge/protocol/frames.ts";
import { type Inventory, parseInventory } from "../edge/protocol/inventory.ts";
import { handlers } from "./actions/index.ts";
import { startPeering } from "./peer/peering.ts";
import { startSidecar } from "./sidecar.ts";

const usage = `usage: voxops sidecar --controller URL [--controller URL2] --vm NAME [--inventory FILE] [--state-dir DIR]
  The VM's key comes from VOXOPS_SIDECAR_KEY (never from the command line).
  Controllers may also be given as VOXOPS_CONTROLLERS (comma-separated), the inventory as VOXOPS_INVENTORY_FILE.`;

/** Loads the inventory file, or a one-VM inventory with no services when there is none. */
export function loadSidecarInventory(vm: string, file: string | undefined): Inventory {
  const raw: unknown = file === undefined ? { vms: { [vm]: {} } } : JSON.parse(readFileSync(file, "utf8"));
  const parsed = parseInventory(raw);
  if (!parsed.ok) throw new Error(`the inventory ${file} is invalid:\n  ${parsed.errors.join("\n  ")}`);
  return parsed.inventory;
}

/** Runs a sidecar until SIGINT/SIGTERM; returns the exit code. */
export async function main(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  let values: {
    controller?: string[];
    vm?: string;
    inventory?: string;
    "state-dir"?: string;
    help?: boolean;
  };
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        controller: { type: "string", multiple: true },
        vm: { type: "string" },
        inventory: { type: "string" },
        "state-dir": { type: "string" },
        help: { type: "boolean" },
      },
    }));
  } catch (error) {
    process.stderr.write(`voxops sidecar: ${(error as Error).message}\n${usage}\n`);
    return 2;
  }
  if (values.help) {
    process.stdout.write(`${usage}\n`);
    return 0;
  }
  const controllers =
    values.controller ?? (env.VOXOPS_CONTROLLERS ?? "").split(",").filter((s) => s.trim() !== "");
  const vm = values.vm ?? env.VOXOPS_VM;
  const key = env.VOXOPS_SIDECAR_KEY;
  const problems: string[] = [];
  if (controllers.length === 0) problems.push("no controller: pass --controller URL");
  if (vm === undefined || !vmNameSchema.safeParse(vm).success)
    problems.push("--vm NAME is required (lowercase letters, digits, dashes)");
  if (key === undefined || key.length < 16)
    problems.push("VOXOPS_SIDECAR_KEY must hold this VM's key (16+ characters)");
  for (const c of controllers)
    if (!/^(https?|wss?):\/\//.test(c)) problems.push(`not a controller URL: ${c}`);
  if (problems.length > 0 || vm === undefined || key === undefined) {
    process.stderr.write(`voxops sidecar: ${problems.join("; ")}\n${usage}\n`);
    return 2;
  }
  let inventory: Inventory;
  try {
    inventory = loadSidecarInventory(vm, values.inventory ?? env.VOXOPS_INVENTORY_FILE);
  } catch (error) {
    process.stderr.write(`voxops sidecar: ${(error as Error).message}\n`);
    return 2;
  }
  const log = createStderrLog({
    name: `sidecar:${vm}`,
    secrets: () => [key],
    quiet: env.VOXOPS_QUIET === "1",
  });
  const heartbeatS = Number(env.VOXOPS_HEARTBEAT_S ?? 10);
  let peering: Awaited<ReturnType<typeof startPeering>>;
  try {
    peering = await startPeering(vm, controllers, env);
  } catch (error) {
    process.stderr.write(`voxops sidecar: ${(error as Error).message}\n`);
    return 2;
  }
  const sidecar = startSidecar({
    ...peering.sidecarOptions,
    vm,
    key,
    controllers,
    inventory,
    handlers,
    log,
    stateDir: values["state-dir"] ?? env.VOXOPS_STATE_DIR ?? `.voxops/sidecar-${vm}`,
    heartbeatMs: Number.isFinite(heartbeatS) && heartbeatS > 0 ? heartbeatS * 1000 : 10_000,
  });
  await new Promise<void>((resolve) => {
    process.once("SIGINT", resolve);
    process.once("SIGTERM", resolve);
  });
  sidecar.stop();
  await peering.stop();
  return 0;
}
