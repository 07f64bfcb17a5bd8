/**
 * Services voxops created, as inventory entries: the sidecar reads them from its registry, the
 * controller from its store, and both add them to the inventory so that the next command can name
 * them ("перезапусти echo"), status shows them and backups include them. Declared names always win.
 */
import type { CreatedRecord } from "./created-record.ts";
import type { Inventory, ServiceSpec, VmSpec } from "./inventory.ts";

export type { CreatedRecord };

/** The inventory entry of a created service: its unit, health URL, port, source root and backup path. */
export function createdServiceSpec(r: CreatedRecord): ServiceSpec {
  return {
    name: r.name,
    aliases: [],
    unit: r.unit,
    ...(r.port ? { health: `http://127.0.0.1:${r.port}${r.healthPath ?? "/"}`, port: r.port } : {}),
    configs: [],
    workdir: r.path,
    backup: [r.path],
    logs: [],
    code: {
      root: r.path,
      checks: [],
      engine: "built-in",
      maxFiles: 10,
      maxLines: 800,
      maxFileBytes: 200_000,
    },
  };
}

/** `inventory` with each VM's created services added, asked afresh at every call through `recordsOf`. */
export function withCreatedServices(
  inventory: Inventory,
  recordsOf: (vm: string) => readonly CreatedRecord[],
): Inventory {
  const merged = (spec: VmSpec): VmSpec => {
    const declared = new Set(spec.services.map((s) => s.name));
    const created = recordsOf(spec.name)
      .filter((r) => r.kind === "service" && !declared.has(r.name))
      .map(createdServiceSpec);
    return created.length === 0 ? spec : { ...spec, services: [...spec.services, ...created] };
  };
  const vm = (name: string) => {
    const spec = inventory.vm(name);
    return spec ? merged(spec) : undefined;
  };
  return {
    get vms() {
      return inventory.vms.map(merged);
    },
    backup: inventory.backup,
    vm,
    vmsWithService: (service) =>
      inventory.vms
        .map(merged)
        .filter((v) => v.services.some((s) => s.name === service))
        .map((v) => v.name),
    service: (name, service) => vm(name)?.services.find((s) => s.name === service),
  };
}
