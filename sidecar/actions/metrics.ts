/** The `metrics` action: memory, swap, disk per mount, CPU load and the processes using the most memory. */

import { readFile } from "node:fs/promises";
import { availableParallelism } from "node:os";
import type { ActionOutput } from "../../protocol/actions/catalog.ts";
import type { Adapters } from "../adapters/index.ts";
import type { ActionHandler } from "../services/handler.ts";
import { readDisks } from "../system/disks.ts";
import { parseLoadavg } from "../system/figures.ts";
import { readMemory } from "../system/memory.ts";
import { topByMemory } from "../system/processes.ts";

/** Creates the handler; `metric` narrows the answer to memory, disk or cpu. */
export function createMetrics(adapters: Adapters): ActionHandler<"metrics"> {
  return async ({ metric }, ctx) => {
    const out: ActionOutput<"metrics"> = { vm: ctx.vm };
    if (metric === "memory" || metric === "all") {
      const m = await readMemory(adapters.proc);
      out.memory = { totalB: m.totalB, availableB: m.availableB, usedB: m.usedB };
      out.swap = { totalB: m.swapTotalB, freeB: m.swapFreeB, usedB: m.swapUsedB };
      out.topProcesses = await topByMemory(10, adapters.proc);
    }
    if (metric === "disk" || metric === "all") out.disks = await readDisks(adapters.proc);
    if (metric === "cpu" || metric === "all") {
      const load = parseLoadavg(await readFile(`${adapters.proc}/loadavg`, "utf8"));
      out.cpu = { load, cpus: availableParallelism() };
    }
    return out;
  };
}
