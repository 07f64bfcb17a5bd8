/** Which service a code request is about: only services with a `code` block; asks when unclear, never guesses. */

import type { Inventory, ServiceSpec } from "../../protocol/inventory.ts";
import type { Lang } from "../core/desk.ts";
import { t } from "../core/text.ts";

/** What is known about the target when the request comes in. */
export interface TargetHint {
  readonly text: string;
  readonly lang: Lang;
  readonly service?: string | undefined;
  readonly vm?: string | undefined;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** The one service (and VM) a request names, or the question to ask the operator. */
export function findCodeTarget(
  inventory: Inventory,
  ask: TargetHint,
): { vm: string; spec: ServiceSpec } | string {
  const all = inventory.vms.flatMap((vm) =>
    vm.services.filter((s) => s.code).map((spec) => ({ vm: vm.name, spec })),
  );
  const names = [...new Set(all.map((c) => c.spec.name))];
  const known = t(
    ask.lang,
    `Сервисы с исходниками: ${names.join(", ") || "нет"}.`,
    `Services with source: ${names.join(", ") || "none"}.`,
  );
  let hits = all;
  if (ask.service) hits = all.filter((c) => c.spec.name === ask.service);
  else {
    const words = ask.text.toLowerCase();
    const mentioned = (c: { spec: ServiceSpec }) =>
      [c.spec.name, ...c.spec.aliases].some((n) =>
        new RegExp(`(^|[^\\p{L}\\p{N}-])${escapeRegExp(n.toLowerCase())}($|[^\\p{L}\\p{N}-])`, "u").test(
          words,
        ),
      );
    hits = all.filter(mentioned);
  }
  if (ask.vm) hits = hits.filter((c) => c.vm === ask.vm);
  const services = [...new Set(hits.map((h) => h.spec.name))];
  if (services.length === 0)
    return ask.service
      ? t(
          ask.lang,
          `У ${ask.service} в инвентаре нет блока "code" с корнем исходников, поэтому менять его код нельзя. ${known}`,
          `${ask.service} has no "code" block with a source root in the inventory, so its code cannot be changed. ${known}`,
        )
      : t(ask.lang, `Какой сервис изменить? ${known}`, `Which service should change? ${known}`);
  if (services.length > 1)
    return t(ask.lang, `Какой именно: ${services.join(" или ")}?`, `Which one: ${services.join(" or ")}?`);
  if (hits.length > 1)
    return t(
      ask.lang,
      `${services[0]} есть на ${hits.map((h) => h.vm).join(" и ")}; на какой машине?`,
      `${services[0]} runs on ${hits.map((h) => h.vm).join(" and ")}; on which VM?`,
    );
  return hits[0] ?? known;
}
