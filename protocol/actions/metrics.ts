/** The `metrics` action: memory, swap, disk per mount point, CPU load and the processes using the most memory. */
import * as z from "zod";
import { defineAction, type Lang, say } from "../action-definition.ts";
import { gib, size } from "./units.ts";

const bytes = z.number().nonnegative();

const outputSchema = z.object({
  vm: z.string(),
  memory: z.object({ totalB: bytes, availableB: bytes, usedB: bytes }).optional(),
  swap: z.object({ totalB: bytes, freeB: bytes, usedB: bytes }).optional(),
  topProcesses: z
    .array(z.object({ pid: z.number(), name: z.string(), command: z.string().optional(), rssB: bytes }))
    .optional(),
  disks: z
    .array(
      z.object({
        device: z.string().optional(),
        path: z.string(),
        type: z.string().optional(),
        totalB: bytes,
        freeB: bytes,
        usedB: bytes.optional(),
      }),
    )
    .optional(),
  cpu: z.object({ load: z.tuple([z.number(), z.number(), z.number()]), cpus: z.number().int() }).optional(),
});

type Output = z.infer<typeof outputSchema>;

function memoryLines(out: Output, lang: Lang): string[] {
  const lines: string[] = [];
  const m = out.memory;
  if (m)
    lines.push(
      say(
        lang,
        `Память: занято ${gib(m.usedB)} из ${gib(m.totalB)} ГиБ, доступно ${gib(m.availableB)} ГиБ.`,
        `Memory: ${gib(m.usedB)} of ${gib(m.totalB)} GiB used, ${gib(m.availableB)} GiB available.`,
      ),
    );
  const s = out.swap;
  if (s)
    lines.push(
      s.totalB === 0
        ? say(lang, "Свопа на этой VM нет.", "This VM has no swap.")
        : say(
            lang,
            `Своп: занято ${gib(s.usedB)} из ${gib(s.totalB)} ГиБ.`,
            `Swap: ${gib(s.usedB)} of ${gib(s.totalB)} GiB used.`,
          ),
    );
  return lines;
}

/** The processes using the most memory, last, each on its own indented line. */
function topLines(out: Output, lang: Lang): string[] {
  const lines: string[] = [];
  const top = (out.topProcesses ?? []).slice(0, 5);
  if (top.length > 0) {
    lines.push(say(lang, "Больше всего памяти занимают:", "Using the most memory:"));
    for (const p of top) lines.push(`  ${p.command || p.name} (pid ${p.pid}): ${size(p.rssB, lang)}`);
  }
  return lines;
}

/** The `metrics` definition. */
export const metrics = defineAction({
  name: "metrics",
  summary: {
    en: "memory, swap, disk per mount point, CPU load, top processes",
    ru: "память, своп, диски по точкам монтирования, нагрузка, самые прожорливые процессы",
  },
  noun: { en: "collecting metrics", ru: "сбор метрик" },
  args: z.object({ metric: z.enum(["memory", "disk", "cpu", "all"]).default("all") }).strict(),
  output: outputSchema,
  risk: "read",
  confirm: false,
  llm: "run",
  http: { method: "GET", path: "/agent/metrics" },
  readBack: (_a, w) =>
    say(w.lang, `Показать память, диски и нагрузку ${w.on}?`, `Show memory, disks and load ${w.on}?`),
  render: (out, { vm, lang }) => {
    const lines = [say(lang, `📊 Показатели ${vm}.`, `📊 The figures of ${vm}.`), ...memoryLines(out, lang)];
    for (const d of out.disks ?? []) {
      const used = d.usedB ?? d.totalB - d.freeB;
      const pct = d.totalB > 0 ? Math.round((used / d.totalB) * 100) : 0;
      lines.push(
        say(
          lang,
          `Диск ${d.path}: занято ${gib(used)} из ${gib(d.totalB)} ГиБ (${pct} %), свободно ${gib(d.freeB)} ГиБ.`,
          `Disk ${d.path}: ${gib(used)} of ${gib(d.totalB)} GiB used (${pct} %), ${gib(d.freeB)} GiB free.`,
        ),
      );
    }
    if (out.cpu) {
      const load = out.cpu.load.map((n) => n.toFixed(2)).join(", ");
      lines.push(
        say(
          lang,
          `Нагрузка за 1, 5 и 15 минут: ${load} на ${out.cpu.cpus} ядр${out.cpu.cpus === 1 ? "е" : "ах"}.`,
          `Load over 1, 5 and 15 minutes: ${load} on ${out.cpu.cpus} CPU${out.cpu.cpus === 1 ? "" : "s"}.`,
        ),
      );
    }
    lines.push(...topLines(out, lang));
    if (lines.length === 1)
      lines.push(say(lang, "Сайдкар не прислал ни одного показателя.", "The sidecar sent no figures."));
    return lines.join("\n");
  },
});
