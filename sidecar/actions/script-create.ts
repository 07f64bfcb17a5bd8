/**
 * The `script-create` action: a script from a confirmed proposal, checked (`bash -n`, Python's
 * compile), installed under the inventory's scripts directory with its oneshot unit, and scheduled
 * as a systemd timer when the request said when. Running it is a separate, confirmed `script-run`.
 */
import type { Adapters } from "../adapters/index.ts";
import type { CreatedRegistry } from "../creation/created-registry.ts";
import { createCreator } from "../creation/creator.ts";
import { registryOf, stage } from "../creation/staging.ts";
import { runBackupQuietly } from "../services/backup.ts";
import { ActionError, type ActionHandler } from "../services/handler.ts";
import { thisVm } from "../services/targets.ts";

/** Creates the handler. */
export function createScriptCreate(
  adapters: Adapters,
  created?: CreatedRegistry,
): ActionHandler<"script-create"> {
  return async (args, ctx) => {
    const name = args.name;
    const language = args.language;
    const schedule = args.schedule;
    const say = (r: string, e: string) => (args.lang === "ru" ? r : e);
    const file = language === "bash" ? "script.sh" : "script.py";
    const staged = await stage(adapters, name, [{ path: file, content: args.content }], ctx);
    try {
      const failed = staged.checks.find((c) => !c.ok);
      if (failed)
        throw new ActionError(
          "checks-failed",
          `${say(
            `Скрипт ${name} не создан: проверка ${failed.name} не прошла. Ничего не установлено.\nЕё вывод:`,
            `${name} was not created: ${failed.name} failed. Nothing was installed.\nIts output:`,
          )}\n${failed.output ?? ""}`,
          { details: { stage: "checks", checks: staged.checks } },
        );
      const creator = createCreator(adapters, thisVm(ctx), registryOf(adapters), created);
      const record = await creator.createScript({
        name,
        language,
        schedule,
        staging: staged.dir,
        request: args.request,
      });
      const backup = await runBackupQuietly(adapters, ctx, `new script ${name}: ${args.request}`);
      return {
        vm: ctx.vm,
        name,
        path: record.path,
        unit: record.unit,
        timer: record.timer ?? null,
        schedule: record.schedule ?? null,
        nextElapse: record.nextElapse ?? null,
        checks: staged.checks,
        backup,
      };
    } finally {
      await staged.remove();
    }
  };
}
