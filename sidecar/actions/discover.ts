/** What the sidecar finds on its VM compared with the inventory, for the hello frame and the operator. */
import type { Inventory } from "../../protocol/inventory.ts";
import type { Adapters } from "../adapters/index.ts";
import { unitOf } from "../services/targets.ts";
import { type ServiceState, serviceStates } from "./status.ts";

/** The inventory's services of one VM, split into those systemd knows and those it does not. */
export interface Discovery {
  readonly vm: string;
  /** Names of inventory services whose unit exists (what `hello.services` carries). */
  readonly present: string[];
  /** Names of inventory services with no such unit on this VM. */
  readonly missing: string[];
  readonly services: ServiceState[];
  /** Problems worth telling the operator at start (unknown VM, systemd not reachable). */
  readonly problems: string[];
}

/** Checks every inventory service of `vm` against systemd. */
export async function discoverServices(
  adapters: Adapters,
  vm: string,
  inventory: Inventory,
): Promise<Discovery> {
  const spec = inventory.vm(vm);
  if (!spec)
    return { vm, present: [], missing: [], services: [], problems: [`the inventory has no VM "${vm}"`] };
  try {
    const services = await serviceStates(
      adapters,
      spec.services.map((s) => ({ name: s.name, unit: unitOf(s) })),
    );
    return {
      vm,
      present: services.filter((s) => s.state !== "missing").map((s) => s.name),
      missing: services.filter((s) => s.state === "missing").map((s) => s.name),
      services,
      problems: [],
    };
  } catch (e) {
    return {
      vm,
      present: [],
      missing: [],
      services: [],
      problems: [`cannot ask systemd about the services: ${(e as Error).message}`],
    };
  }
}
