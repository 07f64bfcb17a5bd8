/** The `created-list` action: the services, scripts and timers voxops created on this VM, with each timer's next run. */
import { execArgv } from "../adapters/exec.ts";
import type { Adapters } from "../adapters/index.ts";
import { readRegistry } from "../creation/created-registry.ts";
import { registryOf } from "../creation/staging.ts";
import type { ActionHandler } from "../services/handler.ts";

/** Creates the handler. */
export function createCreatedList(adapters: Adapters): ActionHandler<"created-list"> {
  return async (_args, ctx) => {
    const items = [];
    for (const r of readRegistry(registryOf(adapters))) {
      const units = r.timer ? [r.unit, r.timer] : [r.unit];
      const show = await execArgv(
        "systemctl",
        ["show", "-p", "Id", "-p", "ActiveState", "-p", "NextElapseUSecRealtime", "--", ...units],
        { env: adapters.env },
      ).catch(() => ({ stdout: "" }));
      const blocks = show.stdout.split("\n\n").map(
        (b) =>
          Object.fromEntries(
            b
              .split("\n")
              .filter(Boolean)
              .map((l) => [l.slice(0, l.indexOf("=")), l.slice(l.indexOf("=") + 1)]),
          ) as Record<string, string>,
      );
      const of = (unit: string) => blocks.find((b) => b["Id"] === unit);
      items.push({
        kind: r.kind,
        name: r.name,
        unit: r.unit,
        state: of(r.unit)?.["ActiveState"] ?? "unknown",
        ...(r.port ? { port: r.port } : {}),
        path: r.path,
        ...(r.timer
          ? {
              timer: r.timer,
              schedule: r.schedule ?? null,
              nextElapse: of(r.timer)?.["NextElapseUSecRealtime"] || null,
            }
          : {}),
        createdAt: r.createdAt,
      });
    }
    return { vm: ctx.vm, created: items };
  };
}
