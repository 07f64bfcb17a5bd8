/** Plans out-of-memory: start the service again when it is down; the cause (its memory use or limit) is the operator's. */
import type { Planner } from "../rule-kit/plan.ts";
import type { WordBook } from "../rule-kit/words.ts";

/** Every sentence this planner can return. */
export const words = {
  restartedAlready: (p: { state: string; unit: string }) => ({
    en: `it was killed for lack of memory and systemd already started it again (now ${p.state}); check its memory use or raise its limit (MemoryMax= in ${p.unit})`,
    ru: `его убили из-за нехватки памяти, systemd уже запустил его снова (сейчас ${p.state}); проверьте, сколько памяти он берёт, или поднимите предел (MemoryMax= в ${p.unit})`,
  }),
  down: (p: { state: string; unit: string }) => ({
    en: `it was killed for lack of memory and is ${p.state}; a restart brings it back, the cause stays: check its memory use or raise its limit (MemoryMax= in ${p.unit})`,
    ru: `его убили из-за нехватки памяти, сейчас ${p.state}; перезапуск вернёт его, причина останется: проверьте, сколько памяти он берёт, или поднимите предел (MemoryMax= в ${p.unit})`,
  }),
} satisfies WordBook;

/** The planner: a restart brings the service back; nothing else is changed. */
export const planOutOfMemory: Planner = async ({ adapters, target }, { report, repair }) => {
  const status = (await adapters.systemd.status([target.unit]))[0];
  const state = status ? `${status.activeState}/${status.subState}` : "unknown";
  if (status?.activeState === "active" || status?.activeState === "activating")
    return report(words.restartedAlready({ state, unit: target.unit }));
  return repair([], words.down({ state, unit: target.unit }));
};
