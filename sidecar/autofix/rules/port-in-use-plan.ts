/** Plans port-in-use: stop the holder only when it is a stale copy of the service itself; otherwise ask. */
import { portOwners } from "../../system/ports.ts";
import type { Planner } from "../rule-kit/plan.ts";
import { commandName, judgeStale, readUnitCommand } from "../rule-kit/stale-process.ts";
import type { WordBook } from "../rule-kit/words.ts";

/** Every sentence this planner can return. */
export const words = {
  noPort: () => ({
    en: "the error does not say which port, and the inventory gives none",
    ru: "в ошибке не сказано, какой порт, и в инвентаре порта нет",
  }),
  free: (p: { port: number }) => ({
    en: `nobody holds port ${p.port} any more`,
    ru: `порт ${p.port} уже никто не занимает`,
  }),
  stale: (p: { port: number; name: string }) => ({
    en: `port ${p.port} is held by a stale copy of ${p.name}`,
    ru: `порт ${p.port} занят зависшим экземпляром ${p.name}`,
  }),
  other: (p: { port: number }) => ({
    en: `port ${p.port} is held by another program; it is not stopped automatically`,
    ru: `порт ${p.port} занят другой программой; её не останавливаю автоматически`,
  }),
  askOther: (p: { port: number; holders: string; name: string }) => ({
    en: `Port ${p.port} is held by ${p.holders}, not by ${p.name}. Stop that program or move ${p.name} to another port, then restart ${p.name}.`,
    ru: `Порт ${p.port} держит ${p.holders}, а не ${p.name}. Остановите эту программу или переведите ${p.name} на другой порт, затем перезапустите ${p.name}.`,
  }),
} satisfies WordBook;

/** The planner. */
export const planPortInUse: Planner = async ({ adapters, target, finding }, { report, repair }) => {
  const name = target.spec.name;
  const port = finding.facts.port !== undefined ? Number(finding.facts.port) : target.spec.port;
  if (port === undefined || !Number.isInteger(port) || port < 1 || port > 65535)
    return report(words.noPort());
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
  if (holders.length === 0) return repair([], words.free({ port }));
  if (holders.every((h) => h.stale))
    return repair(
      holders.map((h) => ({ kind: "stop-stale-process", pid: h.pid, name: h.name, port })),
      words.stale({ port, name }),
      { holders },
    );
  const other = holders
    .filter((h) => !h.stale)
    .map((h) => `pid ${h.pid} (${h.name})`)
    .join(", ");
  return report(words.other({ port }), { holders, ask: words.askOther({ port, holders: other, name }) });
};
