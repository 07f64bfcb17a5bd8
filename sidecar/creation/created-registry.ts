/**
 * The record of what voxops created on this VM (services, scripts, timers): one JSON file beside the
 * inventory, written only by the installer (the root helper on an installed VM), read by the sidecar
 * to add the created services to its inventory so that they can be restarted, read and backed up.
 */
import { readFileSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import { dirname, join } from "node:path";
import { type CreatedRecord, withCreatedServices } from "../../protocol/created-inventory.ts";
import { CREATED_PREFIX } from "../../protocol/created-units.ts";
import type { Inventory } from "../../protocol/inventory.ts";
import { writeFileAtomic } from "../adapters/atomic-write.ts";

export type { CreatedRecord };

/** The registry file for an inventory file: `created.json` beside it. */
export function registryPathFor(inventoryFile: string | undefined, stateDir: string): string {
  return inventoryFile ? join(dirname(inventoryFile), "created.json") : join(stateDir, "created.json");
}

/** Reads the registry; an absent or unreadable file is an empty one. */
export function readRegistry(path: string): CreatedRecord[] {
  try {
    const raw: unknown = JSON.parse(readFileSync(path, "utf8"));
    if (!Array.isArray(raw)) return [];
    return raw.filter(
      (r): r is CreatedRecord =>
        typeof r === "object" &&
        r !== null &&
        (r.kind === "service" || r.kind === "script") &&
        typeof r.name === "string" &&
        typeof r.unit === "string" &&
        r.unit.startsWith(CREATED_PREFIX),
    );
  } catch {
    return [];
  }
}

/** Replaces the registry atomically (0644: the sidecar reads it, only its writer may change it). */
export async function writeRegistry(path: string, records: readonly CreatedRecord[]): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFileAtomic(path, `${JSON.stringify(records, null, 2)}\n`, { mode: 0o644 });
}

/** The inventory with this VM's created services added (the registry is read at every call); declared names win. */
export function withCreated(inventory: Inventory, vm: string, registryPath: string): Inventory {
  return withCreatedServices(inventory, (name) => (name === vm ? readRegistry(registryPath) : []));
}
