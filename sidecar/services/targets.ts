/** Turns names and paths from an action's arguments into inventory entries, refusing anything else. */
import { relativePathSchema, serviceNameSchema } from "../../protocol/actions/catalog.ts";
import type { ConfigFileSpec, ServiceSpec, VmSpec } from "../../protocol/inventory.ts";
import { type ActionContext, ActionError } from "./handler.ts";

/** A service of this VM with its systemd unit name. */
export interface ServiceTarget {
  readonly spec: ServiceSpec;
  readonly unit: string;
}

/** The systemd unit of a service: the inventory's `unit`, else "<name>.service". */
export function unitOf(spec: ServiceSpec): string {
  return spec.unit ?? `${spec.name}.service`;
}

/** This VM's inventory entry. */
export function thisVm(ctx: ActionContext): VmSpec {
  const vm = ctx.inventory.vm(ctx.vm);
  if (!vm)
    throw new ActionError("unknown-vm", `the inventory has no VM "${ctx.vm}"; check the sidecar's --vm`);
  return vm;
}

/** Checks a name against the strict pattern (again: handlers may be called without the catalog). */
export function checkServiceName(name: unknown): string {
  const parsed = serviceNameSchema.safeParse(name);
  if (!parsed.success)
    throw new ActionError(
      "forbidden-name",
      `refused service name ${JSON.stringify(String(name).slice(0, 80))}: ${parsed.error.issues[0]?.message ?? "invalid"}`,
    );
  return parsed.data;
}

/** Checks a relative path against the strict pattern: no absolute paths, no "..", no shell characters. */
export function checkRelativePath(path: unknown): string {
  const parsed = relativePathSchema.safeParse(path);
  if (!parsed.success)
    throw new ActionError(
      "forbidden-path",
      `refused path ${JSON.stringify(String(path).slice(0, 120))}: ${parsed.error.issues[0]?.message ?? "invalid"}`,
    );
  return parsed.data;
}

/** The named service of this VM, or a clear refusal naming the services there are. */
export function resolveService(ctx: ActionContext, name: unknown): ServiceTarget {
  const checked = checkServiceName(name);
  const vm = thisVm(ctx);
  const spec = vm.services.find((s) => s.name === checked);
  if (!spec) {
    const known = vm.services.map((s) => s.name).join(", ") || "none";
    throw new ActionError(
      "unknown-service",
      `"${checked}" is not a service of ${ctx.vm} in the inventory (known: ${known})`,
    );
  }
  return { spec, unit: unitOf(spec) };
}

/** The config file of a service that `file` names (its path's tail or base name); the only one when omitted. */
export function resolveConfig(target: ServiceTarget, file: unknown): ConfigFileSpec {
  const configs = target.spec.configs;
  if (configs.length === 0)
    throw new ActionError("no-config", `the inventory lists no config files for ${target.spec.name}`);
  if (file === undefined) {
    if (configs.length === 1 && configs[0]) return configs[0];
    throw new ActionError(
      "ambiguous-config",
      `${target.spec.name} has ${configs.length} config files; name one: ${configs.map((c) => c.path).join(", ")}`,
    );
  }
  const rel = checkRelativePath(file);
  const hits = configs.filter((c) => c.path.endsWith(`/${rel}`));
  if (hits.length === 1 && hits[0]) return hits[0];
  throw new ActionError(
    hits.length === 0 ? "unknown-config" : "ambiguous-config",
    hits.length === 0
      ? `"${rel}" is not a config file of ${target.spec.name} (configured: ${configs.map((c) => c.path).join(", ")})`
      : `"${rel}" matches several config files of ${target.spec.name}; give more of the path`,
  );
}
