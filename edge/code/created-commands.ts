/**
 * Commands about what voxops created ("что создал voxops", "запусти скрипт clean-logs", "удали
 * сервис echo"): the list comes from the VMs (and brings the controller's record in step); running
 * and removing are put up for a one-time, requester-only confirmation.
 */

import { type CreatedItem, createdList } from "../../protocol/actions/created-list.ts";
import type { Inventory } from "../../protocol/inventory.ts";
import type { Actor } from "../core/actors.ts";
import type { CreatedServices } from "../core/created-services.ts";
import type { Lang } from "../core/desk.ts";
import type { OperatorDesk } from "../core/operator-desk.ts";
import { outcomeText } from "../core/reply-text.ts";
import { t } from "../core/text.ts";
import type { CreationAnswer } from "./creation-answer.ts";
import { creationSetupText } from "./creation-setup.ts";
import type { CreatedCommand } from "./creation-words.ts";

/** How long a run or a removal waits for its confirmation. */
const CONFIRM_TTL_MS = 10 * 60_000;

/** Creates the handler of commands about what voxops created. */
export function createCreatedCommands(options: {
  readonly inventory: Inventory;
  readonly desk: () => OperatorDesk;
  readonly created: CreatedServices;
}): {
  command(
    actor: Actor,
    req: { lang: Lang; vm?: string | undefined },
    cmd: CreatedCommand,
  ): Promise<CreationAnswer>;
} {
  const { inventory, created } = options;
  /** Keeps the controller's record in step with what a VM reports it has. */
  function sync(vm: string, items: readonly CreatedItem[]): void {
    const seen = new Set<string>();
    for (const i of items) {
      seen.add(i.name);
      created.record(vm, {
        kind: i.kind,
        name: i.name,
        unit: i.unit,
        ...(i.timer !== undefined ? { timer: i.timer, schedule: i.schedule ?? "" } : {}),
        ...(i.port !== undefined ? { port: i.port, healthPath: "/" } : {}),
        path: i.path,
        request: "",
        createdAt: i.createdAt,
      });
    }
    for (const r of created.list(vm)) if (!seen.has(r.name)) created.forget(vm, r.name);
  }

  async function command(
    actor: Actor,
    req: { lang: Lang; vm?: string | undefined },
    cmd: CreatedCommand,
  ): Promise<CreationAnswer> {
    const { lang } = req;
    const desk = options.desk();
    const able = inventory.vms
      .filter((v) => v.code?.newServices || v.code?.scripts)
      .map((v) => v.name)
      .filter((v) => !req.vm || v === req.vm);
    if (cmd.kind === "list") {
      if (able.length === 0)
        return { kind: "not-configured", message: creationSetupText(lang, "any", req.vm) };
      const r = await desk.submit(actor, {
        action: "created-list",
        args: {},
        vms: able,
        lang,
        origin: "list of created",
      });
      if (r.kind !== "done") return { kind: "refused", message: desk.toReply(r, lang).text };
      // Each VM's list as the desk worded it from the checked output; only a list that fits the schema is synced.
      const texts = r.results.map((x) => {
        const out = x.outcome?.ok ? createdList.output.safeParse(x.outcome.output) : null;
        if (out?.success) sync(x.vm, out.data.created);
        return x.text ?? (x.outcome ? outcomeText(x.outcome, lang) : "");
      });
      return { kind: "done", message: texts.join("\n\n") };
    }
    const where = inventory.vms
      .map((v) => v.name)
      .filter((vm) =>
        created.list(vm).some((x) => x.name === cmd.name && (cmd.kind === "remove" || x.kind === "script")),
      );
    const vm = where.find((v) => !req.vm || v === req.vm);
    if (!vm)
      return {
        kind: "refused",
        message: t(
          lang,
          `voxops не создавал ${cmd.kind === "run" ? "скрипт" : "ничего под именем"} ${cmd.name}. Список: «что создал voxops».`,
          `voxops created no ${cmd.kind === "run" ? "script" : "service or script"} called ${cmd.name}. To see what it created: "what did voxops create".`,
        ),
      };
    const record = created.list(vm).find((x) => x.name === cmd.name);
    const readBack =
      cmd.kind === "run"
        ? t(lang, `Запустить ${cmd.name} на ${vm} сейчас?`, `Run ${cmd.name} on ${vm} now?`)
        : t(
            lang,
            `Удалить ${record?.kind === "service" ? "сервис" : "скрипт"} ${cmd.name} с ${vm}? Он будет остановлен, его юнит${record?.timer ? " и таймер" : ""} и файлы (${record?.path ?? ""}) удалены.`,
            `Remove the ${record?.kind ?? "script"} ${cmd.name} from ${vm}? It is stopped, and its unit${record?.timer ? ", timer" : ""} and files (${record?.path ?? ""}) are deleted.`,
          );
    const r = await desk.submit(actor, {
      action: cmd.kind === "run" ? "script-run" : "created-remove",
      args: { name: cmd.name, lang },
      vms: [vm],
      lang,
      origin: `${cmd.kind} ${cmd.name}`,
      forceConfirm: true,
      readBack,
      ttlMs: CONFIRM_TTL_MS,
    });
    if (r.kind === "confirm") return { kind: "pending", message: readBack, confirmationId: r.id };
    return { kind: "refused", message: desk.toReply(r, lang).text };
  }

  return { command };
}
