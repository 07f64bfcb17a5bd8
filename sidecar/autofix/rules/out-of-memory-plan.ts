/** Plans out-of-memory: start the service again when it is down; the cause (its memory use or limit) is the operator's. */
import type { Planner } from "../plan.ts";

/** The planner: a restart brings the service back; nothing else is changed. */
export const planOutOfMemory: Planner = async ({ adapters, target }, { report, repair }) => {
  const status = (await adapters.systemd.status([target.unit]))[0];
  const state = status ? `${status.activeState}/${status.subState}` : "unknown";
  const advice = `check its memory use or raise its limit (MemoryMax= in ${target.unit})`;
  const adviceRu = `проверьте, сколько памяти он берёт, или поднимите предел (MemoryMax= в ${target.unit})`;
  if (status?.activeState === "active" || status?.activeState === "activating")
    return report({
      en: `it was killed for lack of memory and systemd already started it again (now ${state}); ${advice}`,
      ru: `его убили из-за нехватки памяти, systemd уже запустил его снова (сейчас ${state}); ${adviceRu}`,
    });
  return repair([], {
    en: `it was killed for lack of memory and is ${state}; a restart brings it back, the cause stays: ${advice}`,
    ru: `его убили из-за нехватки памяти, сейчас ${state}; перезапуск вернёт его, причина останется: ${adviceRu}`,
  });
};
