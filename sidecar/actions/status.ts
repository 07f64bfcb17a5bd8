/** The `status` action: every inventory service's state and the VM's figures. */
import type { Adapters } from "../adapters/index.ts";
import type { UnitStatus } from "../adapters/systemd.ts";
import type { ActionHandler } from "../services/handler.ts";
import { resolveService, thisVm, unitOf } from "../services/targets.ts";
import { readFigures } from "../system/figures.ts";

/** One service in a status report. */
export interface ServiceState {
  readonly name: string;
  readonly unit: string;
  /** active, failed, restarting, activating, deactivating, inactive or missing (no such unit). */
  readonly state: string;
  readonly subState: string;
  /** When the unit last became active (ISO time), if it ever did. */
  readonly since: string | null;
  readonly pid: number | null;
  readonly memoryB: number | null;
}

/** Folds systemd's states into the words the operator reads. */
export function describeState(s: UnitStatus): string {
  if (!s.loaded) return "missing";
  if (s.activeState === "activating" && s.subState === "auto-restart") return "restarting";
  return s.activeState;
}

/** Reads the state of some services of this VM. */
export async function serviceStates(
  adapters: Adapters,
  services: readonly { name: string; unit: string }[],
): Promise<ServiceState[]> {
  const statuses = await adapters.systemd.status(services.map((s) => s.unit));
  return services.map((svc, i) => {
    const s = statuses[i];
    return {
      name: svc.name,
      unit: svc.unit,
      state: s ? describeState(s) : "unknown",
      subState: s?.subState ?? "unknown",
      since: s?.since ? new Date(s.since).toISOString() : null,
      pid: s?.mainPid ?? null,
      memoryB: s?.memoryB ?? null,
    };
  });
}

/** Creates the handler: one service when `service` is given, otherwise all of this VM's services. */
export function createStatus(adapters: Adapters): ActionHandler<"status"> {
  return async ({ service }, ctx) => {
    const services =
      service === undefined
        ? thisVm(ctx).services.map((s) => ({ name: s.name, unit: unitOf(s) }))
        : [resolveService(ctx, service)].map((t) => ({ name: t.spec.name, unit: t.unit }));
    const [figures, states] = await Promise.all([
      readFigures({ proc: adapters.proc }),
      serviceStates(adapters, services),
    ]);
    const failing = states.filter((s) => s.state !== "active").map((s) => s.name);
    return { vm: ctx.vm, figures, services: states, failing };
  };
}
