/** The desk's fixed texts in Russian and English. */
import type { Inventory } from "../../protocol/inventory.ts";
import { actionHelpLines } from "./action-help.ts";
import type { Lang } from "./desk.ts";

/** Picks the Russian or English text (one helper for the whole edge, `./text.ts`). */
export { t } from "./text.ts";

/** What the agent can do, with the fleet it knows. */
export function helpText(lang: Lang, inventory: Inventory): string {
  const fleet = inventory.vms
    .map(
      (v) => `• ${v.name}${v.role ? ` (${v.role})` : ""}: ${v.services.map((s) => s.name).join(", ") || "—"}`,
    )
    .join("\n");
  // Where voxops may create services or scripts (README "Programming from the phone"), say how.
  const creates = inventory.vms.some((v) => v.code?.newServices || v.code?.scripts);
  return lang === "ru"
    ? [
        "Я управляю вашими VM. Примеры:",
        "«Проверь статус всех сервисов» · «Покажи логи admin-api» · «Что с памятью на первой машине?»",
        "«Есть ли ошибки?» · «Перезапусти grok-voice» · «Исправь ошибку в admin-api»",
        "«Обнови конфиг nginx» · «Задеплой admin-api» · «Сделай бэкап» · «Перезагрузи вторую машину»",
        ...(creates
          ? [
              "«Создай сервис echo на порту 9100, который отвечает тем же» · «Напиши скрипт, который чистит логи, и запускай его каждую ночь в 3» · «Что создал voxops?» (сервисы, скрипты, таймеры; «удали скрипт ИМЯ»)",
            ]
          : []),
        "Рискованное спрошу перед выполнением. Можно голосом.",
        "",
        "Что я умею:",
        ...actionHelpLines("ru"),
        "",
        fleet,
      ].join("\n")
    : [
        "I run your VMs. Try:",
        '"Check the status of all services" · "Show me the admin-api logs" · "How is memory on the first machine?"',
        '"Are there any errors?" · "Restart grok-voice" · "Fix the error in admin-api"',
        '"Update the nginx config" · "Deploy admin-api" · "Back up the hub" · "Reboot the second VM"',
        ...(creates
          ? [
              '"Create a service echo on port 9100 that answers with what it gets" · "Write a script that cleans the logs and run it every night at 3" · "What did voxops create?" (services, scripts, timers; "remove script NAME")',
            ]
          : []),
        "I ask before anything risky. Voice works too.",
        "",
        "What I can do:",
        ...actionHelpLines("en"),
        "",
        fleet,
      ].join("\n");
}

const refusals: Record<string, [string, string]> = {
  negated: ["Понял: ничего не делаю.", "Understood: doing nothing."],
  report: [
    "Понял это как рассказ о сделанном или чужие слова, поэтому ничего не запускаю. Если нужно действие, скажите его сами, например: «перезапусти nginx на первой машине».",
    'I took that as a report or someone else\'s words, so I am running nothing. If you want it done, say it yourself, for example: "restart nginx on vm1".',
  ],
  shell: [
    "Я не выполняю команды оболочки. Скажите, что сделать: «перезапусти nginx на первой машине».",
    'I don\'t run shell commands. Say what to do: "restart nginx on vm1".',
  ],
  question: ["Это вне моих задач. Напишите /help.", "That's outside what I do. Try /help."],
  "no-match": [
    "Не понял команду. Напишите /help, чтобы увидеть примеры.",
    "I didn't understand that. Send /help for examples.",
  ],
  "confirm-unknown": ["Такого подтверждения нет.", "There is no such confirmation."],
  "confirm-not-yours": [
    "Подтвердить может только тот, кто попросил.",
    "Only the person who asked can confirm this.",
  ],
  "confirm-expired": [
    "Время подтверждения истекло. Повторите команду.",
    "This confirmation has expired. Send the command again.",
  ],
  "confirm-used": ["Уже подтверждено, второй раз не выполняю.", "Already confirmed; not running it twice."],
  "confirm-cancelled": ["Эта команда отменена.", "This command was cancelled."],
};

/** Why nothing ran, in the operator's language. */
export function refusalText(lang: Lang, reason: string): string {
  const pair = refusals[reason] ?? refusals["no-match"]!;
  return lang === "ru" ? pair[0] : pair[1];
}
