/**
 * The `service-create` action: a new service from a confirmed proposal. Stage and check the files,
 * install them with a hardened unit from the template (through the root helper on an installed VM),
 * verify it came up and answers, and back it up; on any failure remove everything that was created.
 */
import { reasonWords } from "../../protocol/actions/service-words.ts";
import type { Adapters } from "../adapters/index.ts";
import type { CreatedRegistry } from "../creation/created-registry.ts";
import { createCreator } from "../creation/creator.ts";
import { registryOf, stage } from "../creation/staging.ts";
import { runBackupQuietly } from "../services/backup.ts";
import { ActionError, type ActionHandler } from "../services/handler.ts";
import { describeVerification, lastLines } from "../services/restart.ts";
import { thisVm } from "../services/targets.ts";
import { verifyService } from "../services/verify-service.ts";

/** Creates the handler. */
export function createServiceCreate(
  adapters: Adapters,
  created?: CreatedRegistry,
): ActionHandler<"service-create"> {
  return async (args, ctx) => {
    const name = args.name;
    const port = args.port;
    const entry = args.entry;
    const healthPath = args.healthPath;
    const ru = args.lang === "ru";
    const say = (r: string, e: string) => (ru ? r : e);
    const files = args.files;
    const started = ctx.now();
    const staged = await stage(adapters, name, files, ctx);
    try {
      const failed = staged.checks.find((c) => !c.ok);
      if (failed)
        throw new ActionError(
          "checks-failed",
          `${say(
            `Сервис ${name} не создан: проверка ${failed.name} не прошла. На ${ctx.vm} ничего не установлено.\nЕё вывод:`,
            `${name} was not created: ${failed.name} failed. Nothing was installed on ${ctx.vm}.\nIts output:`,
          )}\n${failed.output ?? ""}`,
          { details: { stage: "checks", checks: staged.checks } },
        );
      const creator = createCreator(adapters, thisVm(ctx), registryOf(adapters), created);
      const record = await creator.createService({
        name,
        port,
        entry,
        healthPath,
        staging: staged.dir,
        request: args.request,
      });
      const verified = await verifyService(
        adapters,
        record.unit,
        `http://127.0.0.1:${port}${healthPath}`,
        ctx.deadline,
        ctx.signal,
      );
      if (!verified.ok) {
        const logs = await lastLines(adapters, record.unit);
        await creator.remove(name);
        throw new ActionError(
          "service-failed",
          `${say(
            `Сервис ${name} не поднялся (${reasonWords(verified, "ru")}), поэтому всё созданное удалено: юнит, файлы, запись.\nПоследние строки его журнала:`,
            `${name} did not come up (${verified.reason}), so everything created was removed: the unit, the files, the record.\nIts last journal lines:`,
          )}\n${logs.slice(-8).join("\n").slice(-2000)}`,
          {
            details: { stage: "verify", checks: staged.checks, logs, failed: describeVerification(verified) },
          },
        );
      }
      const backup = await runBackupQuietly(adapters, ctx, `new service ${name}: ${args.request}`);
      return {
        vm: ctx.vm,
        name,
        unit: record.unit,
        port,
        dir: record.path,
        files: files.map((f) => f.path),
        checks: staged.checks,
        verified: describeVerification(verified),
        backup,
        durationMs: ctx.now() - started,
      };
    } finally {
      await staged.remove();
    }
  };
}
