/**
 * What an action needs from the inventory before it can succeed: the service on each VM, a git
 * checkout to deploy, a backup repository. A request that cannot succeed is told so, in the
 * operator's language, instead of being confirmed and then failing on the VM.
 */
import type { ActionName } from "../../protocol/actions/catalog.ts";
import type { Inventory } from "../../protocol/inventory.ts";
import type { Lang } from "./desk.ts";
import { t } from "./desk-texts.ts";

/** Why `action` cannot succeed on `vms` with this inventory, or undefined when nothing is missing. */
export function unmetPrecondition(
  inventory: Inventory,
  action: ActionName,
  args: Readonly<Record<string, unknown>>,
  vms: readonly string[],
  lang: Lang,
): string | undefined {
  const service = typeof args["service"] === "string" ? args["service"] : undefined;
  if (service !== undefined) {
    for (const vm of vms) {
      const names = inventory.vm(vm)?.services.map((s) => s.name) ?? [];
      if (inventory.service(vm, service) !== undefined) continue;
      return names.length === 0
        ? t(
            lang,
            `В инвентаре у ${vm} нет ни одного сервиса, поэтому «${service}» там не найти. Добавьте его в services этой VM.`,
            `The inventory lists no services on ${vm}, so there is no "${service}" there. Add it to that VM's services.`,
          )
        : t(
            lang,
            `На ${vm} нет сервиса «${service}». Там есть: ${names.join(", ")}.`,
            `${vm} has no service called "${service}". It has: ${names.join(", ")}.`,
          );
    }
  }
  if (action === "deploy" && service !== undefined) {
    const without = vms.filter((vm) => inventory.service(vm, service)?.repo === undefined);
    if (without.length > 0)
      return t(
        lang,
        `Для ${service} на ${without.join(", ")} не настроен git-репозиторий (repo в инвентаре), поэтому деплоить нечего. Добавьте сервису repo: путь к рабочей копии и ветку.`,
        `${service} on ${without.join(", ")} has no git checkout configured (repo in the inventory), so there is nothing to deploy. Give the service a repo: the checkout's path and branch.`,
      );
  }
  if ((action === "backup" || action === "restore") && inventory.backup === undefined)
    return t(
      lang,
      "Репозиторий для бэкапов не настроен (backup.repo в инвентаре), поэтому бэкап некуда сохранить и неоткуда восстановить. Добавьте в инвентарь backup: адрес git-репозитория и ветку.",
      "No backup repository is configured (backup.repo in the inventory), so there is nowhere to back up to or restore from. Add backup to the inventory: a git repository URL and a branch.",
    );
  return undefined;
}
