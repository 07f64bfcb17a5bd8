/** Plans port-in-use: stop the holder only when it is a stale copy of the service itself; otherwise ask. */
import { portOwners } from "../../system/ports.ts";
import type { Planner } from "../plan.ts";
import { commandName, judgeStale, readUnitCommand } from "../stale-process.ts";

/** The planner. */
export const planPortInUse: Planner = async ({ adapters, target, finding }, { report, repair }) => {
  const name = target.spec.name;
  const port = finding.facts.port !== undefined ? Number(finding.facts.port) : target.spec.port;
  if (port === undefined || !Number.isInteger(port) || port < 1 || port > 65535)
    return report({
      en: "the error does not say which port, and the inventory gives none",
      ru: "в ошибке не сказано, какой порт, и в инвентаре порта нет",
    });
  // Another user's process cannot be inspected by the sidecar's own user: on an installed VM the
  // root helper finds and judges the holders (read-only), the same way as below.
  const owners = adapters.privilege ? [] : await portOwners(port, adapters.proc);
  const status = (await adapters.systemd.status([target.unit]))[0] ?? null;
  const unitCommand = await readUnitCommand(status?.fragmentPath ?? null);
  const holders = adapters.privilege
    ? await adapters.privilege.portHolders(name, port)
    : await Promise.all(
        owners.map(async (o) => {
          const v = await judgeStale(o.pid, unitCommand, {
            mainPid: status?.mainPid ?? null,
            workdir: target.spec.workdir ?? null,
            proc: adapters.proc,
          });
          return {
            pid: o.pid,
            name: await commandName(o.pid, adapters.proc, o.name),
            stale: v.stale,
            why: v.reason,
          };
        }),
      );
  if (holders.length === 0)
    return repair([], { en: `nobody holds port ${port} any more`, ru: `порт ${port} уже никто не занимает` });
  if (holders.every((h) => h.stale))
    return repair(
      holders.map((h) => ({ kind: "stop-stale-process", pid: h.pid, name: h.name, port })),
      {
        en: `port ${port} is held by a stale copy of ${name}`,
        ru: `порт ${port} занят зависшим экземпляром ${name}`,
      },
      { holders },
    );
  const other = holders.filter((h) => !h.stale);
  return report(
    {
      en: `port ${port} is held by another program; it is not stopped automatically`,
      ru: `порт ${port} занят другой программой; её не останавливаю автоматически`,
    },
    {
      holders,
      ask: `Port ${port} is held by ${other.map((h) => `pid ${h.pid} (${h.name})`).join(", ")}, not by ${name}. What should be done?`,
    },
  );
};
