/**
 * Sentence patterns over word classes, tried in order; the first that fits names the intent.
 * Stronger and more specific patterns come first (writing a script about logs is code, not logs;
 * errors in the logs are errors). A changing intent is only taken from words said before any
 * question or condition ("what happens if I reboot…" reboots nothing).
 */
import { abstain } from "./abstain.ts";
import type { Analysis } from "./analysis.ts";
import { filesRequest } from "./files-request.ts";
import type { WordClass } from "./lexicon.ts";
import { changingIntents, type Intent, type UnknownReason } from "./understanding.ts";
import { isReportingForm } from "./verb-forms.ts";

/** The chosen intent, or `unknown` with its reason. */
export interface IntentChoice {
  readonly intent: Intent;
  readonly reason?: UnknownReason;
  /** For an abstention: the changing intents the words point to, the rules' first reading first. */
  readonly competing?: readonly Intent[];
}

const commandClasses: readonly WordClass[] = [
  "restart",
  "start",
  "reboot",
  "fix",
  "deploy",
  "backup",
  "setVerb",
  "codeVerb",
  "look",
  "status",
  "logs",
  "otherAction",
];

/** True when the sentence negates a command ("не перезагружай", "don't restart", "never reboot"). */
export function isNegated(a: Analysis): boolean {
  if (a.has("negHard")) return true;
  for (const i of a.where("neg")) {
    for (let k = i + 1; k <= i + 2 && k < a.words.length; k++) {
      const set = a.classes[k];
      if (set === undefined) break;
      if (commandClasses.some((c) => set.has(c))) return true;
      if (!set.has("known")) break;
    }
  }
  return false;
}

/** True when a target of a service was heard, even an ambiguous one. */
function servicesHeard(a: Analysis): boolean {
  return a.services.length > 0;
}

/** True when the sentence names something to read (logs, figures); errors are a reason to restart. */
function readingAsked(a: Analysis): boolean {
  return (["logs", "memory", "disk", "cpu", "metrics"] as const).some((c) => a.has(c));
}

/** True when a service is named before any condition ("reboot the hub if postgres is idle" reboots the hub). */
function servicesBeforeCondition(a: Analysis): boolean {
  const conditionAt = a.where("condition")[0] ?? a.words.length;
  return a.services.some((m) => m.start < conditionAt);
}

/** True when a VM is the object of the sentence ("restart the main server"), not a place ("on vm1"). */
function vmAsObject(a: Analysis): boolean {
  if (a.vms.some((m) => !m.locative)) return true;
  return a.where("machine").some((i) => !a.vms.some((m) => i >= m.start && i < m.end) && !a.has("locative"));
}

/** True when the sentence asks for a service that does not exist yet ("создай новый сервис"). */
export function asksNewService(a: Analysis): boolean {
  return a.has("serviceNoun") && (a.has("newWord") || a.services.length === 0);
}

/** True when a speech verb relays someone else's words ("вася сказал", "the ticket says"), not "я сказал". */
function relayed(a: Analysis): boolean {
  return a.where("report").some((i) => !/^(я|i)$/.test(a.words[i - 1] ?? ""));
}

/** "can you restart?", "а ты можешь деплоить?" with no target at all: a question about what the agent can do. */
function capabilityQuestion(a: Analysis): boolean {
  const modalAt = a.words.findIndex((w) => /^(can|could|можешь|можете|сможешь|сможете)$/.test(w));
  const lead = (i: number) => a.classes[i]?.has("known") === true || /^(ты|вы|you)$/.test(a.words[i] ?? "");
  if (modalAt < 0 || a.words.slice(0, modalAt).some((_, i) => !lead(i))) return false;
  const unexplained = a.leftover.filter((i) => i > modalAt);
  return a.services.length === 0 && a.vms.length === 0 && !a.has("machine") && unexplained.length === 0;
}

/**
 * An action named as the subject of a statement: "деплой прошел успешно", "the backup finished an
 * hour ago", "перезапуск поможет?": a finite verb the rules do not know follows the action word within
 * three words, with no target between them (in "restart nginx, it started failing" the verb is the reason).
 */
function actionAsSubject(a: Analysis): boolean {
  const actions = a.classes.flatMap((set, i) => (commandClasses.some((c) => set.has(c)) ? [i] : []));
  return actions.some(
    (at) =>
      a.leftover.some((i) => {
        if (i <= at || i > at + 3) return false;
        const between = (k: number) => k > at && k < i;
        if (a.services.some((m) => between(m.start)) || a.vms.some((m) => between(m.start))) return false;
        const word = a.words[i] ?? "";
        const alone = a.tokens.filter((t) => t.chunk === a.tokens[i]?.chunk).length === 1;
        // In English only a noun ("the backup") has a predicate; "restart memcached" names an object.
        const noun =
          /^[а-я]+$/.test(word) || /^(the|a|an|our|my|your|this|that|last)$/.test(a.words[at - 1] ?? "");
        return alone && noun && isReportingForm(word) && !word.endsWith("ing");
      }) || nounWithOutcome(a, at),
  );
}

/**
 * An action noun with an outcome said after it, its target between: "the restart of nginx failed",
 * "перезапуск энджинкса не помог". A noun is an English action word after an article, or a Russian
 * one that is neither imperative nor infinitive ("перезапуск", "перезагрузка", not "перезапусти").
 */
function nounWithOutcome(a: Analysis, at: number): boolean {
  const word = a.words[at] ?? "";
  const noun = /^[а-я]+$/.test(word)
    ? !/(и|й|ь|те|ть|ти|ться)$/.test(word)
    : /^(the|a|an|our|my|your|this|that|last)$/.test(a.words[at - 1] ?? "");
  if (!noun) return false;
  return a.words.some(
    (_, i) =>
      i > at &&
      (a.classes[i]?.has("errors") === true ||
        (a.classes[i]?.has("neg") === true && a.leftover.includes(i + 1)) ||
        (a.leftover.includes(i) && isReportingForm(a.words[i] ?? "") && !(a.words[i] ?? "").endsWith("ing"))),
  );
}

/** "did you restart nginx", "has the hub rebooted", "do we deploy on fridays": a question about an action, not a request. */
function auxiliaryQuestion(a: Analysis): boolean {
  const first = a.words[0] ?? "";
  return (
    /^(did|didnt|does|doesnt|has|hasnt|have|havent|had|was|were)$/.test(first) ||
    (first === "do" && /^(you|we|i|they)$/.test(a.words[1] ?? ""))
  );
}

/** Action words said after a condition ("если nginx упадет, перезапусти его"): a command that waits on something. */
function conditionalAction(a: Analysis): Intent | undefined {
  const at = a.where("condition")[0];
  if (at === undefined) return undefined;
  const classes: readonly WordClass[] = ["restart", "reboot", "fix", "deploy", "backup", "start"];
  for (let i = at + 1; i < a.words.length; i++) {
    const cls = classes.find((c) => a.classes[i]?.has(c));
    if (cls !== undefined) return cls === "start" ? "restart" : (cls as Intent);
  }
  return undefined;
}

/** Picks the intent of an analysed sentence. */
export function chooseIntent(a: Analysis): IntentChoice {
  if (isNegated(a)) return { intent: "unknown", reason: "negated" };
  const choice = chooseUnchecked(a);
  if (changingIntents.has(choice.intent) && choice.intent !== "code" && (relayed(a) || actionAsSubject(a)))
    return { intent: "unknown", reason: "report" };
  if (changingIntents.has(choice.intent) && (capabilityQuestion(a) || auxiliaryQuestion(a)))
    return { intent: "unknown", reason: "question" };
  if (!changingIntents.has(choice.intent) && choice.intent !== "unknown") {
    // "в случае ошибок перезапусти grok-voice": the errors are the condition, the restart the request.
    const waiting = conditionalAction(a);
    if (waiting !== undefined && !a.has("report"))
      return { intent: "unknown", reason: "unexplained", competing: [waiting] };
  }
  if (choice.intent === "unknown" && choice.reason !== "question" && a.has("report"))
    return { intent: "unknown", reason: "report" };
  if (a.shell && choice.intent !== "code" && choice.intent !== "config")
    return { intent: "unknown", reason: "shell" };
  const abstention = abstain(a, choice.intent, hasParam(a));
  if (abstention !== undefined)
    return { intent: "unknown", reason: "unexplained", competing: abstention.competing };
  if (choice.intent !== "code" && choice.intent !== "config" && a.commands("otherAction"))
    return { intent: "unknown", reason: "no-match" };
  return choice;
}

/** True when a parameter name was said ("max_connections", "таймаут"). */
function hasParam(a: Analysis): boolean {
  return a.tokens.some((t) => t.param) || a.has("param");
}

function chooseUnchecked(a: Analysis): IntentChoice {
  const path = a.tokens.some((t) => t.path);
  const param = hasParam(a);
  const newService = asksNewService(a);

  if (a.commands("codeVerb") && (a.has("codeNoun") || path || newService)) return { intent: "code" };
  if (a.commands("backup")) return { intent: "backup" };
  if (a.commands("deploy")) return { intent: "deploy" };
  if (a.has("latest") && servicesHeard(a) && (a.commands("setVerb") || a.commands("start")))
    return { intent: "deploy" };
  if (a.commands("reboot")) return { intent: servicesBeforeCondition(a) ? "restart" : "reboot" };
  if (a.commands("restart")) {
    if (!servicesHeard(a) && vmAsObject(a)) return { intent: "reboot" };
    return { intent: "restart" };
  }
  if (a.has("configNoun") && (a.commands("setVerb") || a.commands("fix") || a.commands("codeVerb")))
    return { intent: "config" };
  if (a.commands("setVerb") && param) return { intent: "config" };
  if (a.commands("fix")) return { intent: "fix" };
  // "bring up the logs", "подними логи": starting words that fetch something to read.
  if (a.commands("start") && !readingAsked(a)) return { intent: "restart" };
  if (a.commands("codeVerb") && servicesHeard(a))
    return weakCodeVerbsOnly(a) ? { intent: "unknown", reason: "no-match" } : { intent: "code" };
  // "подними логи": the lifting verb fetches something to read; it changes nothing.
  const fetches = readingAsked(a) && a.where("setVerb").every((i) => a.classes[i]?.has("start"));
  if (a.commands("setVerb") && servicesHeard(a) && !fetches)
    return { intent: "unknown", reason: "ambiguous" };

  // "найди TODO в коде admin-api", "открой src/app.js у grok-voice", "покажи файлы admin-api".
  if (servicesHeard(a) && !readingAsked(a) && !a.has("errors") && filesRequest(a) !== undefined)
    return { intent: "files" };
  if (a.has("errors")) return { intent: "errors" };
  const changeAsked = (["restart", "reboot", "fix", "deploy", "backup", "setVerb", "codeVerb"] as const).some(
    (c) => a.has(c) && !(c === "setVerb" && fetches),
  );
  if (changeAsked) return { intent: "unknown", reason: "question" };
  if (a.has("memory") || a.has("disk") || a.has("cpu") || a.has("metrics")) return { intent: "metrics" };
  if (a.has("logs")) return { intent: "logs" };
  if (a.has("configNoun") || a.has("codeNoun")) return { intent: "unknown", reason: "no-match" };
  const targets = a.services.length > 0 || a.vms.length > 0;
  if (a.has("status") || a.has("state")) return { intent: "status" };
  if (a.has("look") && (targets || a.leftover.length === 0)) return { intent: "status" };
  if (a.has("help")) return { intent: "help" };
  if (targets && a.leftover.length === 0) return { intent: "status" };
  return { intent: "unknown", reason: "no-match" };
}

/** "сделай что-нибудь с постгресом", "make it work": a verb that says nothing about code on its own. */
function weakCodeVerbsOnly(a: Analysis): boolean {
  return a.where("codeVerb").every((i) => /^(сделай|сделайте|сделать|make|do)$/.test(a.words[i] ?? ""));
}
