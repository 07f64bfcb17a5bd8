/**
 * The words for auto-fix outcomes, in Russian or English: what the error was (its line and count),
 * what was done or why nothing was, whether it held, and what to do next. Used by the `fix` reply and
 * by the alerts for auto-fix events, so both tell one story.
 */
import type { FixFinding, FixPlan, FixStep } from "../../protocol/fix-events.ts";
import type { Lang } from "./desk.ts";
import { t } from "./text.ts";

/** A clause without its closing punctuation, so the sentence around it ends once. */
const bare = (s: string): string => s.replace(/[.;:\s]+$/, "");

/** A sentence the sidecar sends in English and Russian side by side. */
export interface Bilingual {
  readonly en?: string | undefined;
  readonly ru?: string | undefined;
}

/**
 * The sentence in the operator's language. A sidecar too old to send Russian gets its English quoted
 * as its own words inside a Russian sentence, never an English sentence in a Russian reply.
 */
export function inLang(said: Bilingual | undefined, lang: Lang): string | undefined {
  if (lang === "en") return said?.en || said?.ru || undefined;
  if (said?.ru) return said.ru;
  return said?.en ? `по словам агента на VM: «${bare(said.en)}»` : undefined;
}

/** What each rule's error means, in both languages; a rule the edge does not know keeps the sidecar's words. */
const MEANING: Readonly<Record<string, { ru: string; en: string }>> = {
  "import-error": {
    ru: "сервис не может загрузить пакет",
    en: "the service cannot load a package it imports",
  },
  "file-not-found": { ru: "сервису не хватает файла", en: "the service needs a file that is not there" },
  "port-in-use": {
    ru: "порт сервиса занят другим процессом",
    en: "another process holds the service's port",
  },
  "watch-limit": {
    ru: "достигнут системный предел наблюдаемых файлов (inotify), диск не полон",
    en: "the system limit on watched files (inotify) is reached; the disk is not full",
  },
  "out-of-memory": { ru: "сервису не хватило памяти", en: "the service ran out of memory" },
  "out-of-space": { ru: "диск заполнен", en: "the disk is full" },
  "unknown-error": {
    ru: "ошибка, которую не знает ни одно правило автоисправления",
    en: "an error no auto-fix rule knows",
  },
};

/** The rule's meaning in the operator's language. */
export function meaningOf(rule: string | undefined, finding: FixFinding | undefined, lang: Lang): string {
  const known = rule ? MEANING[rule] : undefined;
  if (known) return known[lang];
  return finding?.meaning || t(lang, "ошибка в журнале", "an error in its log");
}

/** The error line and how often it was seen: «line» (×N). */
export function evidenceOf(finding: FixFinding | undefined, lang: Lang): string {
  const line = finding?.line || finding?.groups?.[0]?.sample;
  if (!line) return "";
  const times = finding?.groups?.find((g) => g.sample === line || g.pattern === line)?.count ?? 1;
  const count = times > 1 ? t(lang, ` (×${times})`, ` (×${times})`) : "";
  return t(lang, `Строка журнала: «${line}»${count}.`, `Log line: “${line}”${count}.`);
}

/** One step in words: what was done, and whether it worked. */
function stepText(step: FixStep, planned: FixStep | undefined, lang: Lang): string {
  const p = { ...planned, ...step };
  const failed = step.ok === false ? t(lang, " — не удалось", " — failed") : "";
  const d = step.detail ?? {};
  switch (p.kind) {
    case "install-deps":
      return t(lang, "переустановил зависимости", "reinstalled the dependencies") + failed;
    case "stop-stale-process":
      return (
        t(
          lang,
          `остановил зависший экземпляр (pid ${p.pid ?? "?"}${p.name ? `, ${p.name}` : ""}), занимавший порт ${p.port ?? "?"}`,
          `stopped the stale copy (pid ${p.pid ?? "?"}${p.name ? `, ${p.name}` : ""}) that held port ${p.port ?? "?"}`,
        ) + failed
      );
    case "restore-file": {
      const commit = typeof d["commit"] === "string" ? ` (${d["commit"].slice(0, 8)})` : "";
      return (
        t(
          lang,
          `восстановил ${p.path ?? "файл"} из бэкапа${commit}`,
          `restored ${p.path ?? "the file"} from the backup${commit}`,
        ) + failed
      );
    }
    case "reclaim-space": {
      const freed = typeof d["freedB"] === "number" ? ` (${(d["freedB"] / 1024 ** 2).toFixed(1)} MB)` : "";
      return (
        t(
          lang,
          `освободил место: журнал и старые логи${freed}`,
          `freed space from the journal and rotated logs${freed}`,
        ) + failed
      );
    }
    case "restart":
      return (
        t(lang, "перезапустил и проверил, что сервис работает", "restarted it and checked it runs") + failed
      );
    default:
      return `${p.kind}${failed}`;
  }
}

/** The steps as one clause: "restored …, restarted …". */
export function stepsText(steps: readonly FixStep[], plan: FixPlan | undefined, lang: Lang): string {
  const planned = plan?.steps ?? [];
  return steps
    .map((s, i) => stepText(s, planned[i]?.kind === s.kind ? planned[i] : undefined, lang))
    .join(", ");
}

/** What to do when nothing was changed: the question the rule asks, or the change it proposes, or a look at the logs. */
export function nextStep(plan: FixPlan | undefined, lang: Lang): string {
  const ask = inLang({ en: plan?.ask, ru: plan?.askRu }, lang);
  if (ask) return t(lang, `Нужно ваше решение: ${ask}`, `Your decision is needed: ${ask}`);
  const what = inLang({ en: plan?.proposal?.what, ru: plan?.proposal?.whatRu }, lang);
  if (what) return t(lang, `Предложение: ${bare(what)}.`, `Proposal: ${bare(what)}.`);
  return t(lang, "Посмотрите логи и исправьте вручную.", "Look at the logs and repair it by hand.");
}

/** What a repair that held reads as. */
export function repairedText(
  where: string,
  rule: string | undefined,
  finding: FixFinding | undefined,
  steps: readonly FixStep[],
  plan: FixPlan | undefined,
  lang: Lang,
): string {
  const did = steps.length > 0 ? stepsText(steps, plan, lang) : t(lang, "перезапустил", "restarted it");
  return [
    t(
      lang,
      `🛠 ${where}: исправлено — ${meaningOf(rule, finding, lang)}.`,
      `🛠 ${where} is repaired: ${meaningOf(rule, finding, lang)}.`,
    ),
    evidenceOf(finding, lang),
    t(lang, `Сделано: ${did}. Ошибка не вернулась.`, `Done: ${did}. The error did not come back.`),
  ]
    .filter(Boolean)
    .join(" ");
}

/** What a repair that did not hold reads as. */
export function failedText(
  where: string,
  rule: string | undefined,
  finding: FixFinding | undefined,
  steps: readonly FixStep[],
  plan: FixPlan | undefined,
  reason: Bilingual | undefined,
  recurred: string | undefined,
  lang: Lang,
): string {
  const why = inLang(reason, lang);
  return [
    t(
      lang,
      `❌ ${where}: исправление не помогло — ${meaningOf(rule, finding, lang)}.`,
      `❌ ${where}: the repair did not hold — ${meaningOf(rule, finding, lang)}.`,
    ),
    evidenceOf(finding, lang),
    steps.length > 0
      ? t(lang, `Попробовал: ${stepsText(steps, plan, lang)}.`, `Tried: ${stepsText(steps, plan, lang)}.`)
      : "",
    why ? t(lang, `Причина: ${bare(why)}.`, `Why: ${bare(why)}.`) : "",
    recurred ? t(lang, `Ошибка вернулась: «${recurred}».`, `The error came back: “${recurred}”.`) : "",
    t(lang, "Посмотрите логи; сервис нужно чинить вручную.", "Look at the logs; the service needs a human."),
  ]
    .filter(Boolean)
    .join(" ");
}

/** "Nothing was changed: why." in the operator's language. */
function reasonText(plan: FixPlan | undefined, lang: Lang): string {
  const why = inLang({ en: plan?.reason, ru: plan?.reasonRu }, lang);
  return why
    ? t(lang, `Ничего не менял: ${bare(why)}.`, `Nothing was changed: ${bare(why)}.`)
    : t(lang, "Ничего не менял.", "Nothing was changed.");
}

/** What a finding that was only reported reads as: nothing was changed, and why, and what next. */
export function reportedText(
  where: string,
  rule: string | undefined,
  finding: FixFinding | undefined,
  plan: FixPlan | undefined,
  lang: Lang,
): string {
  const head =
    rule === "unknown-error"
      ? t(
          lang,
          `⚠️ ${where}: ошибка, которую не знает ни одно правило автоисправления.`,
          `⚠️ ${where} logged an error no auto-fix rule knows.`,
        )
      : t(
          lang,
          `⚠️ ${where}: ${meaningOf(rule, finding, lang)}.`,
          `⚠️ ${where}: ${meaningOf(rule, finding, lang)}.`,
        );
  const evidence =
    evidenceOf(finding, lang) ||
    t(
      lang,
      "Строк с ошибкой в журнале нет (юнит в состоянии failed).",
      "Its journal has no error line (the unit is in the failed state).",
    );
  return [head, evidence, reasonText(plan, lang), nextStep(plan, lang)].join(" ");
}
