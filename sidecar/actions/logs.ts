/** The `logs` action: the last N journal lines of a service, with timestamps. */
import type { Adapters } from "../adapters/index.ts";
import type { ActionHandler } from "../services/handler.ts";
import { capLines } from "../services/log-lines.ts";
import { resolveService } from "../services/targets.ts";

/** Most lines one answer carries, whatever was asked. */
export const MAX_LOG_LINES = 1000;
/** Creates the handler. */
export function createLogs(adapters: Adapters): ActionHandler<"logs"> {
  return async (args, ctx) => {
    const target = resolveService(ctx, args.service);
    const asked = args.lines;
    const n = Math.max(1, Math.min(MAX_LOG_LINES, Math.floor(asked)));
    const { lines, truncated } = capLines(await adapters.journal.tail(target.unit, n));
    return { vm: ctx.vm, service: target.spec.name, unit: target.unit, lines, truncated };
  };
}
