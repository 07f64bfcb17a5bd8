/**
 * Turns events from sidecars (findings, fixes applied, failed or skipped, auto-fix paused, a failed
 * backup) into operator alerts: whole sentences with the evidence and the next step. Event data is read
 * through the protocol's schema, so a malformed field is dropped and every shown string is clean.
 */
import { parseFixEventData } from "../../protocol/fix-events.ts";
import type { EventFrame } from "../../protocol/frames.ts";
import type { Alert, ReplyButton } from "./desk.ts";
import { failedText, meaningOf, repairedText, reportedText, stepsText } from "./fix-text.ts";

/** Why a repair was skipped, in words. */
const SKIPPED: Readonly<Record<string, { ru: string; en: string }>> = {
  "dry-run": { ru: "автоисправление в режиме dry-run", en: "auto-fix is in dry-run mode" },
  "autofix-off": { ru: "автоисправление выключено", en: "auto-fix is off" },
  "rule-off": { ru: "это правило выключено", en: "this rule is turned off" },
  "not-approved": { ru: "никто не одобрил исправление вовремя", en: "nobody approved the repair in time" },
};

/** The alert for an event, or undefined for events the operator need not see. */
export function eventAlert(vm: string, frame: EventFrame): Alert | undefined {
  const d = parseFixEventData(frame.data);
  const service = d.service ?? d.finding?.service ?? "";
  const rule = d.rule ?? d.finding?.rule;
  const buttons: ReplyButton[][] = service
    ? [
        [
          { label: "📜 logs", data: `do:logs:${vm}:${service}`.slice(0, 64) },
          { label: "🔄 restart", data: `do:restart:${vm}:${service}`.slice(0, 64) },
        ],
        [{ label: "🩺 fix", data: `do:fix:${vm}:${service}`.slice(0, 64) }],
      ]
    : [[{ label: "📊 status", data: `do:status:${vm}` }]];
  const where = { ru: service ? `${service} на ${vm}` : vm, en: service ? `${service} on ${vm}` : vm };
  const both = (f: (lang: "ru" | "en") => string) => ({ ru: f("ru"), en: f("en") });
  const steps = d.steps ?? [];
  switch (frame.kind) {
    case "fix.applied":
      return {
        key: `${vm}:${service}:${rule}:applied`,
        severity: "info",
        text: both((l) => repairedText(where[l], rule, d.finding, steps, d.plan, l)),
        buttons,
      };
    case "fix.failed":
      return {
        key: `${vm}:${service}:${rule}:failed`,
        severity: "critical",
        text: both((l) =>
          failedText(
            where[l],
            rule,
            d.finding,
            steps,
            d.plan,
            { en: d.reason, ru: d.reasonRu },
            d.recurred,
            l,
          ),
        ),
        buttons,
      };
    case "fix.skipped": {
      const why = SKIPPED[d.reason ?? ""];
      const would = d.plan?.steps?.length ? stepsText(d.plan.steps, d.plan, "en") : "";
      const wouldRu = d.plan?.steps?.length ? stepsText(d.plan.steps, d.plan, "ru") : "";
      return {
        key: `${vm}:${service}:${rule}:skipped`,
        severity: "warning",
        text: {
          ru: `⚠️ ${where.ru}: ${meaningOf(rule, d.finding, "ru")}. Ничего не менял: ${why?.ru ?? (d.reason ? `исправление пропущено («${d.reason}»)` : "исправление пропущено")}.${wouldRu ? ` Исправление было бы таким: ${wouldRu}.` : ""} Нажмите «fix», чтобы исправить сейчас.`,
          en: `⚠️ ${where.en}: ${meaningOf(rule, d.finding, "en")}. Nothing was changed: ${why?.en ?? d.reason ?? "the repair was skipped"}.${would ? ` The repair would have: ${would}.` : ""} Press “fix” to repair it now.`,
        },
        buttons,
      };
    }
    case "autofix.paused":
      return {
        key: `${vm}:${service}:paused`,
        severity: "critical",
        text: {
          ru: `⏸ ${where.ru}: автоисправление остановлено${d.failures ? ` после ${d.failures} неудачных попыток подряд` : d.repairs ? ` после ${d.repairs} исправлений за час` : ""}. ${d.messageRu ? `${d.messageRu}. ` : ""}Ничего больше не меняю сам; посмотрите логи и исправьте вручную.`,
          en: `⏸ ${where.en}: auto-fix is paused${d.failures ? ` after ${d.failures} failed repairs in a row` : d.repairs ? ` after ${d.repairs} repairs within the hour` : ""}. ${d.message ? `${d.message}. ` : ""}Nothing more is changed automatically; look at the logs and repair it by hand.`,
        },
        buttons,
      };
    case "finding":
      if (d.known === true || d.planned === true) return undefined;
      return {
        key: `${vm}:${service}:finding:${rule}`,
        severity: "warning",
        text: both((l) => reportedText(where[l], rule, d.finding, d.plan, l)),
        buttons,
      };
    case "backup.failed":
      return {
        key: `${vm}:backup-failed`,
        severity: "critical",
        text: {
          ru: `💾❌ ${vm}: плановый бэкап не удался: ${d.error ? `«${d.error}»` : "причина неизвестна"}. В этот раз ничего не сохранено, прежние бэкапы целы. Проверьте доступ к репозиторию бэкапов и запустите бэкап вручную.`,
          en: `💾❌ ${vm}: the scheduled backup failed: ${d.error ?? "no reason given"}. Nothing was saved this time; earlier backups are intact. Check access to the backup repository and run a backup by hand.`,
        },
        buttons: [[{ label: "💾 backup", data: `do:backup:${vm}` }]],
      };
    case "peer.down":
      return {
        key: `${vm}:peer`,
        severity: "warning",
        text: {
          ru: `⚠️ ${vm}: не видит соседа.${(d.summary ?? d.message) ? ` Сайдкар сообщает: «${d.summary ?? d.message}».` : ""} Проверьте сеть между VM.`,
          en: `⚠️ ${vm} cannot reach its peer.${(d.summary ?? d.message) ? ` The sidecar says: “${d.summary ?? d.message}”.` : ""} Check the network between the VMs.`,
        },
      };
    default:
      return undefined;
  }
}
