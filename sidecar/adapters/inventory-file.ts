/** The sidecar's inventory file, read and validated (the sidecar, its doctor and the root helper read it alike). */
import { readFileSync } from "node:fs";
import { type Inventory, parseInventory } from "../../protocol/inventory.ts";

/** Loads the inventory file, or a one-VM inventory with no services when there is none. */
export function loadSidecarInventory(vm: string, file: string | undefined): Inventory {
  const raw: unknown = file === undefined ? { vms: { [vm]: {} } } : JSON.parse(readFileSync(file, "utf8"));
  const parsed = parseInventory(raw);
  if (!parsed.ok) throw new Error(`the inventory ${file} is invalid:\n  ${parsed.errors.join("\n  ")}`);
  return parsed.inventory;
}
