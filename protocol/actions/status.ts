/** The `status` action: every service's state and the VM's figures (load, memory, disk). */
import * as z from "zod";
import { defineAction, say } from "../action-definition.ts";
import { figuresSchema } from "../frames.ts";
import { serviceNameSchema } from "../names.ts";
import { serviceStateSchema, stateWords } from "./service-words.ts";
import { gib, size } from "./units.ts";

/** The `status` definition. */
export const status = defineAction({
  name: "status",
  summary: { en: "service states and the VM's figures", ru: "состояние сервисов и показатели VM" },
  noun: { en: "status check", ru: "проверка статуса" },
  args: z.object({ service: serviceNameSchema.optional() }).strict(),
  output: z.object({
    vm: z.string(),
    figures: figuresSchema,
    services: z.array(serviceStateSchema),
    failing: z.array(z.string()).default([]),
  }),
  risk: "read",
  confirm: false,
  llm: "run",
  http: { method: "GET", path: "/agent/vm/status" },
  readBack: (a, w) =>
    a.service
      ? say(w.lang, `Проверить состояние ${a.service} ${w.on}?`, `Check the state of ${a.service} ${w.on}?`)
      : say(w.lang, `Проверить состояние сервисов ${w.on}?`, `Check the services ${w.on}?`),
  render: (out, { vm, lang }) => {
    const f = out.figures;
    const memUsed = f.memory.totalB - f.memory.availableB;
    const load = f.load.map((n) => n.toFixed(2)).join(" ");
    const lines = [
      say(
        lang,
        `🖥 ${vm}: нагрузка ${load}, занято памяти ${gib(memUsed)} из ${gib(f.memory.totalB)} ГиБ, на диске ${f.disk.path} свободно ${gib(f.disk.freeB)} из ${gib(f.disk.totalB)} ГиБ.`,
        `🖥 ${vm}: load ${load}, memory ${gib(memUsed)} of ${gib(f.memory.totalB)} GiB used, disk ${f.disk.path} ${gib(f.disk.freeB)} of ${gib(f.disk.totalB)} GiB free.`,
      ),
    ];
    if (out.services.length === 0)
      lines.push(
        say(lang, "Сервисов в инвентаре этой VM нет.", "The inventory lists no services on this VM."),
      );
    for (const s of out.services) {
      const icon = s.state === "active" ? "✅" : s.state === "failed" ? "❌" : "⚠️";
      const mem =
        s.memoryB === null
          ? ""
          : say(lang, `, память ${size(s.memoryB, "ru")}`, `, memory ${size(s.memoryB, "en")}`);
      lines.push(
        say(
          lang,
          `${icon} ${s.name}: ${stateWords(s.state, "ru")}${mem}.`,
          `${icon} ${s.name} is ${stateWords(s.state, "en")}${mem}.`,
        ),
      );
    }
    return lines.join("\n");
  },
});
