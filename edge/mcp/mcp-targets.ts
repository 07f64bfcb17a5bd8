/** Which VMs an MCP tool call means: the named VM, all of them, or the one that runs the service. */

import type { Inventory } from "../../protocol/inventory.ts";
import type { Lang } from "../core/desk.ts";
import { t } from "../core/desk-texts.ts";

/** The VMs to act on, or why they cannot be chosen. */
export type Targets = { ok: true; vms: string[] } | { ok: false; message: string };

/**
 * Resolves a tool call's `vm` (a name or alias, or "all") and `service` to VM names; a read
 * (`fanOut`) without a VM goes to every VM that fits.
 */
export function resolveTargets(
  inventory: Inventory,
  vm: unknown,
  service: unknown,
  fanOut: boolean,
  lang: Lang,
): Targets {
  const names = inventory.vms.map((v) => v.name);
  if (vm === "all") return { ok: true, vms: names };
  if (typeof vm === "string" && vm !== "") {
    const lower = vm.toLowerCase();
    const found = inventory.vms.find(
      (v) => v.name === vm || v.aliases.some((a) => a.toLowerCase() === lower),
    );
    // An unknown name goes to the desk as given: it refuses it in words and audits the attempt.
    return { ok: true, vms: [found?.name ?? vm.slice(0, 64)] };
  }
  if (typeof service === "string") {
    const holders = inventory.vmsWithService(service);
    if (holders.length === 1 || (fanOut && holders.length > 1)) return { ok: true, vms: holders };
    return {
      ok: false,
      message:
        holders.length === 0
          ? t(
              lang,
              `Ни одна VM не запускает сервис «${service.slice(0, 40)}». Известные VM: ${names.join(", ")}.`,
              `No VM runs a service called "${service.slice(0, 40)}". The VMs are ${names.join(", ")}.`,
            )
          : t(
              lang,
              `${service} работает на ${holders.join(" и ")}: укажите vm.`,
              `${service} runs on ${holders.join(" and ")}: name the vm.`,
            ),
    };
  }
  if (names.length === 1 || fanOut) return { ok: true, vms: names };
  return {
    ok: false,
    message: t(lang, `Укажите vm: ${names.join(", ")} или all.`, `Name the vm: ${names.join(", ")} or all.`),
  };
}
