/**
 * The first line of a failed action's reply, in the operator's language: what did not happen, why
 * (the controller's own failures in the operator's words, a VM's message quoted), and what to do.
 */
import { definitionOf } from "../../protocol/actions/catalog.ts";
import type { CommandOutcome } from "./controller.ts";
import type { Lang } from "./desk.ts";
import { t } from "./desk-texts.ts";

/** The failure's first line: "❌ vm2 · reading the logs: not run — vm2's sidecar is not connected…". */
export function failureHead(o: CommandOutcome, lang: Lang): string {
  const { ru, en } = definitionOf(o.action)?.noun ?? { ru: "действие", en: "action" };
  const message = o.error?.message ?? "";
  const code = o.error?.code ?? "";
  const at = `❌ ${o.vm} · ${t(lang, ru, en)}: `;
  if (code === "not-connected") {
    const ago = /last heard from (\d+) s ago/.exec(message)?.[1];
    return (
      at +
      t(
        lang,
        `не выполнено — сайдкар ${o.vm} не подключён (${ago ? `последний раз был на связи ${ago} с назад` : "ещё ни разу не подключался"}). Проверьте, что сайдкар на ${o.vm} запущен и видит контроллер.`,
        `not run — ${o.vm}'s sidecar is not connected (${ago ? `last heard from ${ago} s ago` : "it has never connected"}). Check that the sidecar on ${o.vm} is running and can reach the controller.`,
      )
    );
  }
  if (code === "timeout")
    return (
      at +
      t(
        lang,
        `VM не ответила вовремя, результат неизвестен. Проверьте статус ${o.vm}, прежде чем повторять.`,
        `the VM did not answer in time; the result is unknown. Check ${o.vm}'s status before trying again.`,
      )
    );
  if (code === "no-systemd")
    return (
      at +
      t(
        lang,
        "невозможно — на этой машине не работает systemd, а voxops управляет сервисами и читает журнал через systemd. Запустите сайдкар на машине с systemd.",
        "cannot work here — this machine does not run systemd, and voxops manages services and reads the journal through systemd. Run the sidecar on a machine with systemd.",
      )
    );
  return (
    at +
    t(lang, `не удалось. Ответ VM: ${message || "без подробностей"}`, `failed — ${message || "no details"}`)
  );
}
