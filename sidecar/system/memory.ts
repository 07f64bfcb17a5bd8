/** Memory and swap of the VM from /proc/meminfo. */
import { readFile } from "node:fs/promises";
import { parseMeminfo } from "./figures.ts";

/** Memory and swap in bytes. */
export interface MemoryFigures {
  readonly totalB: number;
  readonly availableB: number;
  readonly usedB: number;
  readonly swapTotalB: number;
  readonly swapFreeB: number;
  readonly swapUsedB: number;
}

/** Turns /proc/meminfo text into memory and swap figures. */
export function memoryFromMeminfo(text: string): MemoryFigures {
  const m = parseMeminfo(text);
  const total = m.get("MemTotal") ?? 0;
  const available = m.get("MemAvailable") ?? (m.get("MemFree") ?? 0) + (m.get("Cached") ?? 0);
  const swapTotal = m.get("SwapTotal") ?? 0;
  const swapFree = m.get("SwapFree") ?? 0;
  return {
    totalB: total,
    availableB: available,
    usedB: Math.max(0, total - available),
    swapTotalB: swapTotal,
    swapFreeB: swapFree,
    swapUsedB: Math.max(0, swapTotal - swapFree),
  };
}

/** Reads memory and swap figures from `proc` (default /proc). */
export async function readMemory(proc = "/proc"): Promise<MemoryFigures> {
  return memoryFromMeminfo(await readFile(`${proc}/meminfo`, "utf8"));
}
