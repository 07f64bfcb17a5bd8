/** What the operator reads about created services and scripts: read-backs, outcomes, lists — whole sentences, RU/EN. */
import type { CommandOutcome } from "./controller.ts";
import type { Lang } from "./desk.ts";
import { t } from "./text.ts";
import { checksLine, obj, str } from "./text-values.ts";

/** The creation actions, whose outcomes these texts describe. */
export const creationActions: ReadonlySet<string> = new Set([
  "service-create",
  "script-create",
  "script-run",
  "created-list",
  "created-remove",
]);

/** The unit's lines as the read-back shows them (its comment left out). */
export function unitLines(text: string): string {
  return text
    .split("\n")
    .filter((l) => l.trim() !== "" && !l.startsWith("#"))
    .join("\n");
}

/** A systemd timestamp ("Mon 2026-12-01 03:00:00 UTC") or microseconds, as it reads. */
function when(v: unknown): string {
  const s = str(v);
  return s === "" || s === "0" || s === "n/a" ? "" : s;
}

function backupLine(backup: unknown, lang: Lang): string {
  const b = obj(backup);
  if (b["ok"] === true) return t(lang, "Бэкап отправлен.", "The backup was pushed.");
  if (b["skipped"] === true)
    return t(lang, "Репозиторий бэкапа не настроен.", "No backup repository is set up.");
  return t(lang, `Бэкап не сделан: ${str(b["error"])}.`, `No backup: ${str(b["error"])}.`);
}

/** The text for the outcome of a creation action. */
export function creationOutcomeText(o: CommandOutcome, lang: Lang): string {
  const out = obj(o.output);
  if (!o.ok) {
    const message = o.error?.message ?? t(lang, "Ничего не создано.", "Nothing was created.");
    if (o.error?.code === "refused")
      return `❌ ${t(lang, `Отказано: ${message}.`, `Refused: ${message}.`)}`.replace(/\.\.$/, ".");
    return `❌ ${message}`;
  }
  switch (o.action) {
    case "service-create":
      return [
        t(
          lang,
          `✅ Сервис ${str(out["name"])} создан на ${o.vm}: ${str(out["dir"])}, юнит ${str(out["unit"])}, порт ${str(out["port"])}.`,
          `✅ Service ${str(out["name"])} created on ${o.vm}: ${str(out["dir"])}, unit ${str(out["unit"])}, port ${str(out["port"])}.`,
        ),
        checksLine(out["checks"], lang),
        t(
          lang,
          `Включён, запущен, активен и отвечает на порту ${str(out["port"])}. Теперь его можно называть по имени: «перезапусти ${str(out["name"])}».`,
          `Enabled, started, active and answering on port ${str(out["port"])}. You can now name it in commands: "restart ${str(out["name"])}".`,
        ),
        backupLine(out["backup"], lang),
      ]
        .filter(Boolean)
        .join("\n");
    case "script-create": {
      const next = when(out["nextElapse"]);
      return [
        t(
          lang,
          `✅ Скрипт ${str(out["name"])} записан на ${o.vm}: ${str(out["path"])}.`,
          `✅ Script ${str(out["name"])} written on ${o.vm}: ${str(out["path"])}.`,
        ),
        checksLine(out["checks"], lang),
        out["timer"]
          ? t(
              lang,
              `Таймер ${str(out["timer"])} включён: OnCalendar=${str(out["schedule"])}${next ? `, следующий запуск ${next}` : ""}.`,
              `Timer ${str(out["timer"])} is on: OnCalendar=${str(out["schedule"])}${next ? `, next run ${next}` : ""}.`,
            )
          : t(
              lang,
              "Расписания нет: он запускается только по вашей команде.",
              "It has no schedule: it runs only when you ask.",
            ),
        backupLine(out["backup"], lang),
      ]
        .filter(Boolean)
        .join("\n");
    }
    case "script-run": {
      const lines = Array.isArray(out["output"]) ? out["output"].map(str) : [];
      return [
        t(
          lang,
          `✅ Скрипт ${str(out["name"])} выполнен на ${o.vm} (код 0, ${Math.round(Number(out["durationMs"] ?? 0) / 100) / 10} с).`,
          `✅ Script ${str(out["name"])} ran on ${o.vm} (exit 0, ${Math.round(Number(out["durationMs"] ?? 0) / 100) / 10} s).`,
        ),
        lines.length > 0
          ? `${t(lang, "Его вывод:", "Its output:")}\n${lines.join("\n")}`
          : t(lang, "Он ничего не вывел.", "It printed nothing."),
      ].join("\n");
    }
    case "created-remove":
      return t(
        lang,
        `🗑 ${str(out["removed"])} удалён с ${o.vm}: остановлен, юнит${out["timer"] ? " и таймер" : ""} и файлы (${str(out["path"])}) удалены.`,
        `🗑 ${str(out["removed"])} removed from ${o.vm}: stopped, its unit${out["timer"] ? " and timer" : ""} and files (${str(out["path"])}) deleted.`,
      );
    default:
      return createdListText(o.vm, out["created"], lang);
  }
}

/** The list of what voxops created on a VM. */
export function createdListText(vm: string, created: unknown, lang: Lang): string {
  const items = Array.isArray(created) ? created.map(obj) : [];
  if (items.length === 0)
    return t(lang, `На ${vm} voxops ничего не создавал.`, `voxops has created nothing on ${vm}.`);
  const line = (i: Record<string, unknown>) =>
    i["kind"] === "service"
      ? t(
          lang,
          `• сервис ${str(i["name"])} (${str(i["unit"])}, порт ${str(i["port"])}): ${str(i["state"])}`,
          `• service ${str(i["name"])} (${str(i["unit"])}, port ${str(i["port"])}): ${str(i["state"])}`,
        )
      : i["timer"]
        ? t(
            lang,
            `• скрипт ${str(i["name"])} (${str(i["path"])}), таймер ${str(i["timer"])}: OnCalendar=${str(i["schedule"])}${when(i["nextElapse"]) ? `, следующий запуск ${when(i["nextElapse"])}` : ""}`,
            `• script ${str(i["name"])} (${str(i["path"])}), timer ${str(i["timer"])}: OnCalendar=${str(i["schedule"])}${when(i["nextElapse"]) ? `, next run ${when(i["nextElapse"])}` : ""}`,
          )
        : t(
            lang,
            `• скрипт ${str(i["name"])} (${str(i["path"])}), без расписания`,
            `• script ${str(i["name"])} (${str(i["path"])}), no schedule`,
          );
  return [
    t(lang, `Создано voxops на ${vm}:`, `Created by voxops on ${vm}:`),
    ...items.map(line),
    t(
      lang,
      "Удалить: «удали сервис ИМЯ» или «удали скрипт ИМЯ».",
      'To remove one: "remove service NAME" or "remove script NAME".',
    ),
  ].join("\n");
}
