/** Reads the VM's basic figures from /proc and statfs: uptime, load, memory, disk. */
import { readFile, statfs } from "node:fs/promises";
import type { Figures } from "../../protocol/frames.ts";

/** Where the readers look; tests point `proc` at a prepared directory. */
export interface FigureSources {
  readonly proc: string;
  readonly diskPath: string;
}

const defaults: FigureSources = { proc: "/proc", diskPath: "/" };

/** Parses /proc/meminfo into bytes per field. */
export function parseMeminfo(text: string): Map<string, number> {
  const fields = new Map<string, number>();
  for (const line of text.split("\n")) {
    const m = /^([A-Za-z0-9_()]+):\s+(\d+)(?:\s+kB)?/.exec(line);
    if (m?.[1] && m[2]) fields.set(m[1], Number(m[2]) * (line.includes("kB") ? 1024 : 1));
  }
  return fields;
}

/** Parses /proc/loadavg into the 1, 5 and 15 minute load averages. */
export function parseLoadavg(text: string): [number, number, number] {
  const [a, b, c] = text.trim().split(/\s+/).map(Number);
  if (![a, b, c].every((n) => Number.isFinite(n)))
    throw new Error(`unexpected /proc/loadavg: ${text.slice(0, 80)}`);
  return [a!, b!, c!];
}

/** Reads the current figures. */
export async function readFigures(sources: Partial<FigureSources> = {}): Promise<Figures> {
  const src = { ...defaults, ...sources };
  const [uptime, loadavg, meminfo, fs] = await Promise.all([
    readFile(`${src.proc}/uptime`, "utf8"),
    readFile(`${src.proc}/loadavg`, "utf8"),
    readFile(`${src.proc}/meminfo`, "utf8"),
    statfs(src.diskPath),
  ]);
  const mem = parseMeminfo(meminfo);
  return {
    uptimeS: Number(uptime.trim().split(/\s+/)[0]),
    load: parseLoadavg(loadavg),
    memory: {
      totalB: mem.get("MemTotal") ?? 0,
      availableB: mem.get("MemAvailable") ?? mem.get("MemFree") ?? 0,
    },
    disk: { path: src.diskPath, totalB: fs.blocks * fs.bsize, freeB: fs.bavail * fs.bsize },
  };
}
