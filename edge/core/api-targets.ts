/**
 * Which VMs a request means, for the HTTPS API and the MCP tools alike: the named VM (by its name or
 * one of its aliases), all of them, the VMs that run the named service (by its name or an alias), or
 * why none can be chosen, in the caller's language.
 */
import type { Inventory } from "../../protocol/inventory.ts";
import type { Lang } from "./desk.ts";

/** The VMs to act on and the service's inventory name, or why they cannot be chosen. */
export type Targets =
  | { readonly ok: true; readonly vms: string[]; readonly service?: string }
  | { readonly ok: false; readonly message: string };

/** What a request names: the VM (or "all") and the service, as the caller wrote them. */
export interface TargetRequest {
  readonly vm?: string | undefined;
  readonly service?: string | undefined;
  /** A read goes to every VM that fits when none is named; a change needs exactly one. */
  readonly fanOut: boolean;
  readonly lang: Lang;
}

/** The inventory name of a VM named by its name or an alias (case does not matter), or undefined. */
export function vmByNameOrAlias(inventory: Inventory, name: string): string | undefined {
  const lower = name.toLowerCase();
  return inventory.vms.find(
    (v) => v.name.toLowerCase() === lower || v.aliases.some((a) => a.toLowerCase() === lower),
  )?.name;
}

/**
 * The inventory name of a service named by its exact name or by an alias (an alias in any case), or the
 * name as given. A service's own name is a systemd unit name, which is case-sensitive: "WEB" is not "web"
 * (the attack suite sends it and expects a refusal).
 */
export function serviceByNameOrAlias(inventory: Inventory, name: string): string {
  const lower = name.toLowerCase();
  const services = inventory.vms.flatMap((v) => v.services);
  return (
    services.find((s) => s.name === name)?.name ??
    services.find((s) => s.aliases.some((a) => a.toLowerCase() === lower))?.name ??
    name
  );
}

/** Resolves a request's VM and service to the VMs to act on. */
export function resolveTargets(inventory: Inventory, request: TargetRequest): Targets {
  const { fanOut, lang } = request;
  const ru = lang === "ru";
  const names = inventory.vms.map((v) => v.name);
  const service =
    request.service === undefined ? undefined : serviceByNameOrAlias(inventory, request.service);
  const withService = (vms: string[]): Targets => ({ ok: true, vms, ...(service ? { service } : {}) });
  if (request.vm === "all") return withService(names);
  if (request.vm !== undefined && request.vm !== "")
    // An unknown name goes to the desk as given: it refuses it in words and audits the attempt.
    return withService([vmByNameOrAlias(inventory, request.vm) ?? request.vm.slice(0, 64)]);
  // With one VM there is nothing to choose.
  if (names.length === 1) return withService(names);
  if (service !== undefined) {
    const holders = inventory.vmsWithService(service);
    if (holders.length === 1 || (fanOut && holders.length > 1)) return withService(holders);
    const name = service.slice(0, 40);
    const known = [...new Set(inventory.vms.flatMap((v) => v.services.map((s) => s.name)))].join(", ") || "—";
    return {
      ok: false,
      message:
        holders.length === 0
          ? ru
            ? `Ни на одной VM нет сервиса «${name}». Известные сервисы: ${known}.`
            : `No VM runs a service called "${name}". Known services: ${known}.`
          : ru
            ? `Сервис ${name} есть на ${holders.join(" и ")}: укажите vm.`
            : `The service ${name} runs on ${holders.join(" and ")}: name the vm.`,
    };
  }
  if (fanOut) return withService(names);
  return {
    ok: false,
    message: ru ? `Укажите vm: ${names.join(", ")} или all.` : `Name the vm: ${names.join(", ")} or all.`,
  };
}
