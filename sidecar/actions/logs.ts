/** The `logs` action: the last N journal lines of a service, with timestamps. */
import type { Adapters } from "../adapters/index.ts";
import type { ActionHandler } from "./handler.ts";
import { resolveService } from "./targets.ts";

/** Most lines one answer carries, whatever was asked. */
export const MAX_LOG_LINES = 1000;
const MAX_LINE_CHARS = 2000;
const MAX_TOTAL_CHARS = 400_000;

/** Keeps the newest lines that fit the answer's size limits. */
export function capLines(lines: readonly string[]): { lines: string[]; truncated: boolean } {
  const out: string[] = [];
  let total = 0;
  for (let i = lines.length - 1; i >= 0; i--) {
    const line = (lines[i] ?? "").slice(0, MAX_LINE_CHARS);
    if (total + line.length > MAX_TOTAL_CHARS) return { lines: out.reverse(), truncated: true };
    total += line.length;
    out.push(line);
  }
  return { lines: out.reverse(), truncated: false };
}

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
