/**
 * The controller's record of the services and scripts voxops created, kept in its store (so it
 * survives a restart) and added to the inventory every part of the controller reads: the next
 * command can name a created service, status shows it, and the understanding layer knows its name.
 */

import { type CreatedRecord, withCreatedServices } from "../../protocol/created-inventory.ts";
import type { Inventory } from "../../protocol/inventory.ts";
import type { SqlStore } from "./store.ts";

const PREFIX = "created:";

/** What the understanding layer offers (edge/understand's Understander), as far as this record needs. */
interface Understanding {
  understand(...args: never[]): unknown;
}

/** The created services and scripts of the fleet. */
export interface CreatedServices {
  /** The inventory with the created services added; the same object all along, always current. */
  readonly inventory: Inventory;
  /** Records (or replaces) what was created on `vm`. */
  record(vm: string, record: CreatedRecord): void;
  /** Forgets `name` on `vm`. */
  forget(vm: string, name: string): void;
  /** What was created on `vm`. */
  list(vm: string): readonly CreatedRecord[];
  /** Makes the record of `vm` what its sidecar announced (its registry); changes only what differs. */
  replace(vm: string, records: readonly CreatedRecord[]): void;
  /** An understander that is rebuilt whenever a created service comes or goes. */
  understander<U extends Understanding>(build: (inventory: Inventory) => U): U;
}

/** Creates the record over the controller's store (the `kv` table). */
export function createCreatedServices(base: Inventory, store: SqlStore): CreatedServices {
  const byVm = new Map<string, Map<string, CreatedRecord>>();
  let version = 0;
  for (const row of store.exec<{ key: string; value: string }>(
    "SELECT key, value FROM kv WHERE key LIKE ?",
    `${PREFIX}%`,
  )) {
    const [, vm = "", name = ""] = row.key.split(":");
    try {
      const r = JSON.parse(row.value) as CreatedRecord;
      if (r.name === name) (byVm.get(vm) ?? byVm.set(vm, new Map()).get(vm))?.set(name, r);
    } catch {
      // a damaged row is skipped; the VM's own registry still has the service
    }
  }
  const list = (vm: string) => [...(byVm.get(vm)?.values() ?? [])];
  const inventory = withCreatedServices(base, list);
  return {
    inventory,
    list,
    record(vm, r) {
      store.exec(
        "INSERT INTO kv (key, value, expires) VALUES (?, ?, NULL) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        `${PREFIX}${vm}:${r.name}`,
        JSON.stringify(r),
      );
      (byVm.get(vm) ?? byVm.set(vm, new Map()).get(vm))?.set(r.name, r);
      version++;
    },
    forget(vm, name) {
      store.exec("DELETE FROM kv WHERE key = ?", `${PREFIX}${vm}:${name}`);
      byVm.get(vm)?.delete(name);
      version++;
    },
    replace(vm, records) {
      const next = new Map(records.map((r) => [r.name, r]));
      for (const r of list(vm)) if (!next.has(r.name)) this.forget(vm, r.name);
      for (const r of next.values()) {
        const known = byVm.get(vm)?.get(r.name);
        if (!known || JSON.stringify(known) !== JSON.stringify(r)) this.record(vm, r);
      }
    },
    understander<U extends Understanding>(build: (inventory: Inventory) => U): U {
      let built = build(inventory);
      let at = version;
      const current = (): U => {
        if (at !== version) {
          built = build(inventory);
          at = version;
        }
        return built;
      };
      return {
        understand: (...args: Parameters<U["understand"]>) => current().understand(...args),
      } as U;
    },
  };
}
