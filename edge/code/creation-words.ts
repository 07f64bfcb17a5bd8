/**
 * What a creation request says in the operator's words (Russian or English): a new service or a new
 * script, its name and port, and when a script should run ("каждую ночь в 3" → `*-*-* 03:00:00`).
 * Pure and deterministic: the model writes the code, these typed fields come from the words.
 */

/** A request to create something, as the words give it. */
export type CreationWords =
  | { readonly kind: "service"; readonly name: string | null; readonly port: number | null }
  | {
      readonly kind: "script";
      readonly name: string | null;
      /** The OnCalendar= expression, null when the request says no time, "unclear" when it says one we cannot read. */
      readonly schedule: string | null | "unclear";
      /** True when the request asks for the script to run right away as well. */
      readonly runNow: boolean;
    };

const SERVICE =
  /(?:^|\s)(?:создай|создать|сделай|заведи|подними|разверни|create|make|set up|add|build)\s+(?:(?:a|an|the)\s+)?(?:нов\S*\s+)?(?:new\s+)?(?:сервис|service|микросервис|microservice)\S*/iu;
const SCRIPT =
  /(?:^|\s)(?:напиши|создай|сделай|write|create|make|add)\s+(?:(?:a|an|the)\s+)?(?:нов\S*\s+)?(?:new\s+)?(?:скрипт|script|cron|крон)\S*/iu;

// The word after "service"/"script" (or after "named"/"called"): the whole token, so that a name
// with characters a name may not have is refused as it was said, never trimmed into another name.
const NAME_AFTER =
  /(?:сервис|service|скрипт|script)\S*\s+(?:(?:под названием|с именем|называется|named|called)\s+)?(\S+)/iu;
const NOT_A_NAME = new Set([
  ...[
    "on",
    "at",
    "that",
    "which",
    "for",
    "to",
    "with",
    "who",
    "in",
    "and",
    "the",
    "named",
    "called",
    "listening",
  ],
  ...["на", "в", "во", "для", "который", "которая", "которое", "что", "с", "и", "чтобы", "под", "слушающий"],
]);

/** The port named in the words ("на порту 9100", "on port 9100", "port 9100"). */
function portOf(text: string): number | null {
  const m = /(?:порт\S*|port)\s*[:№#]?\s*(\d{2,5})\b/iu.exec(text);
  const port = m?.[1] ? Number(m[1]) : Number.NaN;
  return Number.isInteger(port) && port > 0 && port <= 65535 ? port : null;
}

/** What the words ask to create, or null when they ask for no new service or script. */
export function readCreation(text: string): CreationWords | null {
  const lower = text.toLowerCase();
  const isScript = SCRIPT.test(lower);
  const isService = !isScript && SERVICE.test(lower);
  if (!isScript && !isService) return null;
  const token = NAME_AFTER.exec(lower)?.[1]
    ?.replace(/^[«"'“]+/, "")
    .replace(/[»"'”]*[,.!?:]*$/, "")
    .replace(/[»"'”]+$/, "");
  const name = token && !NOT_A_NAME.has(token) ? token : null;
  if (isService) return { kind: "service", name, port: portOf(lower) };
  return {
    kind: "script",
    name,
    schedule: scheduleOf(lower),
    runNow: /(?:запусти|run)\s+(?:его\s+|it\s+)?(?:сейчас|сразу|now|once|right away)/iu.test(lower),
  };
}

const pad = (n: number): string => String(n).padStart(2, "0");

const WEEKDAYS: readonly [RegExp, string][] = [
  [/понедельник|monday/u, "Mon"],
  [/вторник|tuesday/u, "Tue"],
  [/сред[аунеы]|wednesday/u, "Wed"],
  [/четверг|thursday/u, "Thu"],
  [/пятниц|friday/u, "Fri"],
  [/суббот|saturday/u, "Sat"],
  [/воскресень|sunday/u, "Sun"],
];

/** The time of day the words name ("в 3", "в 03:30", "at 3am", "в 7 вечера"), null when none, "bad" when impossible. */
function timeOf(text: string): { h: number; m: number } | null | "bad" {
  const m =
    /(?:^|\s)(?:в|во|at|@)\s+(\d{1,2})(?:[:.](\d{2}))?\s*(утра|ночи|дня|вечера|час\S*|am|pm|a\.m\.|p\.m\.)?(?=$|[\s,.!?;])/u.exec(
      text,
    );
  if (!m?.[1]) return null;
  let h = Number(m[1]);
  const min = m[2] ? Number(m[2]) : 0;
  const part = m[3] ?? "";
  if (/^(pm|p\.m\.|вечера|дня)$/.test(part) && h < 12) h += 12;
  if (/^(am|a\.m\.|ночи|утра)$/.test(part) && h === 12) h = 0;
  if (h > 23 || min > 59) return "bad";
  return { h, m: min };
}

/** The OnCalendar= expression for the words' schedule; null when they name none; "unclear" when unreadable. */
export function scheduleOf(text: string): string | null | "unclear" {
  const t = text.toLowerCase();
  const every =
    /(?:^|\s)(?:каждые|каждый|каждую|каждое|каждых|every)\s+(\d{1,3})\s+(минут\S*|minutes?|час\S*|hours?)/u.exec(
      t,
    );
  if (every?.[1] && every[2]) {
    const n = Number(every[1]);
    if (/^(мин|min)/.test(every[2])) return n >= 1 && n <= 59 ? `*-*-* *:0/${n}:00` : "unclear";
    return n >= 1 && n <= 23 ? `*-*-* 0/${n}:00:00` : "unclear";
  }
  if (/(?:каждый час|ежечасно|every hour|hourly)/u.test(t)) return "*-*-* *:00:00";
  if (/(?:каждую минуту|every minute)/u.test(t)) return "*-*-* *:*:00";
  const time = timeOf(t);
  if (time === "bad") return "unclear";
  const at = (fallback: { h: number; m: number }) => {
    const x = time ?? fallback;
    return `${pad(x.h)}:${pad(x.m)}:00`;
  };
  const weekday = WEEKDAYS.find(([re]) =>
    new RegExp(`(?:по|каждый|каждую|каждое|every|on)\\s+(?:${re.source})`, "u").test(t),
  );
  if (weekday) return `${weekday[1]} *-*-* ${at({ h: 0, m: 0 })}`;
  if (/(?:каждую неделю|еженедельно|every week|weekly)/u.test(t)) return `Mon *-*-* ${at({ h: 0, m: 0 })}`;
  if (/(?:каждый месяц|ежемесячно|every month|monthly)/u.test(t)) return `*-*-01 ${at({ h: 0, m: 0 })}`;
  if (/(?:каждую ночь|по ночам|every night|nightly)/u.test(t)) return `*-*-* ${at({ h: 3, m: 0 })}`;
  if (/(?:каждое утро|по утрам|every morning)/u.test(t)) return `*-*-* ${at({ h: 7, m: 0 })}`;
  if (/(?:каждый вечер|по вечерам|every evening)/u.test(t)) return `*-*-* ${at({ h: 20, m: 0 })}`;
  if (/(?:каждый день|ежедневно|every day|daily)/u.test(t)) return `*-*-* ${at({ h: 0, m: 0 })}`;
  if (/(?:кажды|every|по расписанию|on a schedule|раз в)/u.test(t)) return "unclear";
  return null;
}

/** A command about what voxops created: list it, run a script once, or remove one. */
export type CreatedCommand =
  | { readonly kind: "list" }
  | { readonly kind: "run" | "remove"; readonly name: string };

/** The command about created things the words give, or null ("что создал voxops", "удали скрипт clean-logs"). */
export function readCreatedCommand(text: string): CreatedCommand | null {
  const t = text.toLowerCase().trim();
  if (
    /(?:что|какие)\s.*(?:создал|создано|созданы)|(?:покажи|список)\s+(?:таймер|созданн|скрипт)|(?:list|show)\s+(?:the\s+|my\s+)?(?:timers|scripts|created)|what\s+(?:did\s+)?voxops\s+(?:create|made)|what\s+has\s+voxops\s+created/u.test(
      t,
    )
  )
    return { kind: "list" };
  const m =
    /(?:^|\s)(удали|убери|remove|delete|запусти|выполни|run)\s+(?:the\s+)?(?:созданный\s+)?(?:сервис|скрипт|таймер|service|script|timer)\s+[«"']?([a-z][a-z0-9-]*)[»"']?\s*(?:сейчас|now|once)?[.!]?$/u.exec(
      t,
    );
  if (!m?.[1] || !m[2]) return null;
  const verb = m[1];
  if (/^(запусти|выполни|run)$/.test(verb))
    return /таймер|timer|сервис|service/.test(t) ? null : { kind: "run", name: m[2] };
  return { kind: "remove", name: m[2] };
}
