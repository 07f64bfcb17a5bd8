/** The `created-list` action (issue 13: services and scripts voxops creates): what voxops created on a VM, with each timer's next run. */
import * as z from "zod";
import { defineAction, type Lang, say } from "../action-definition.ts";
import { createdRecordSchema } from "../created-record.ts";
import { creationActionArgs } from "../creation-actions.ts";
import { whenText } from "./change-outputs.ts";

/** One thing voxops created, with its unit's state now and, for a timer, its schedule and next run. */
export const createdItemSchema = z.object({
  kind: createdRecordSchema.shape.kind,
  name: z.string(),
  unit: z.string(),
  /** systemd's ActiveState of the unit, or "unknown". */
  state: z.string(),
  port: z.number().int().optional(),
  path: z.string(),
  timer: z.string().optional(),
  schedule: z.string().nullable().optional(),
  nextElapse: z.string().nullable().optional(),
  createdAt: z.number(),
});

/** What voxops created on a VM. */
export const createdListOutputSchema = z.object({ vm: z.string(), created: z.array(createdItemSchema) });

/** One thing voxops created, as `created-list` reports it. */
export type CreatedItem = z.output<typeof createdItemSchema>;

function itemLine(i: CreatedItem, lang: Lang): string {
  if (i.kind === "service")
    return say(
      lang,
      `• сервис ${i.name} (${i.unit}, порт ${i.port ?? "не указан"}): ${i.state}`,
      `• service ${i.name} (${i.unit}, port ${i.port ?? "not recorded"}): ${i.state}`,
    );
  if (!i.timer)
    return say(
      lang,
      `• скрипт ${i.name} (${i.path}), без расписания`,
      `• script ${i.name} (${i.path}), no schedule`,
    );
  const next = whenText(i.nextElapse);
  return say(
    lang,
    `• скрипт ${i.name} (${i.path}), таймер ${i.timer}: OnCalendar=${i.schedule ?? ""}${next ? `, следующий запуск ${next}` : ""}`,
    `• script ${i.name} (${i.path}), timer ${i.timer}: OnCalendar=${i.schedule ?? ""}${next ? `, next run ${next}` : ""}`,
  );
}

/** The list of what voxops created on a VM, with how to remove one. */
export function createdListText(vm: string, items: readonly CreatedItem[], lang: Lang): string {
  if (items.length === 0)
    return say(lang, `На ${vm} voxops ничего не создавал.`, `voxops has created nothing on ${vm}.`);
  return [
    say(lang, `Создано voxops на ${vm}:`, `Created by voxops on ${vm}:`),
    ...items.map((i) => itemLine(i, lang)),
    say(
      lang,
      "Удалить: «удали сервис ИМЯ» или «удали скрипт ИМЯ».",
      'To remove one: "remove service NAME" or "remove script NAME".',
    ),
  ].join("\n");
}

/** The `created-list` definition. */
export const createdList = defineAction({
  name: "created-list",
  summary: {
    en: "list the services, scripts and timers voxops created on a VM",
    ru: "показать сервисы, скрипты и таймеры, которые voxops создал на VM",
  },
  noun: { en: "list of what voxops created", ru: "список созданного voxops" },
  args: creationActionArgs["created-list"],
  output: createdListOutputSchema,
  risk: "read",
  confirm: false,
  llm: "never",
  http: null,
  readBack: (_a, w) =>
    say(w.lang, `Показать, что voxops создал ${w.on}?`, `List what voxops created ${w.on}?`),
  render: (out, { vm, lang }) => createdListText(vm, out.created, lang),
});
