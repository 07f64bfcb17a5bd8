/**
 * Abstaining before misfiring: a changing intent fires only when the sentence is accounted for.
 * A second action ("restart postgres and change its config"), a condition ("unless", "после"), a
 * self-correction ("no wait"), an attachment ("with more memory"), a parameter beside a restart, or
 * an unexplained verb leaves the request to the LLM or to a question back to the operator.
 */
import type { Analysis } from "./analysis.ts";
import type { WordClass } from "./lexicon.ts";
import type { Intent } from "./understanding.ts";

/** Word classes that ask for a change (or an action the agent does not have). */
const actionClasses: readonly WordClass[] = [
  "restart",
  "start",
  "reboot",
  "fix",
  "deploy",
  "backup",
  "setVerb",
  "codeVerb",
  "otherAction",
];

/** The action words each changing intent explains; any other action word is a second request. */
const explains: Partial<Record<Intent, readonly WordClass[]>> = {
  restart: ["restart", "start", "reboot"],
  reboot: ["reboot", "restart"],
  fix: ["fix"],
  deploy: ["deploy"],
  // "push a backup to GitHub", "сделай бэкап": the verbs a backup is said with.
  backup: ["backup", "start", "codeVerb", "deploy"],
  config: ["setVerb", "fix", "codeVerb", "start", "otherAction"],
  code: ["codeVerb", "setVerb", "fix", "start", "otherAction", "restart", "reboot", "deploy", "backup"],
};

/** Intents whose details go to the LLM anyway: conditions and parameters are their content. */
const detailed = new Set<Intent>(["config", "code"]);

/** Why a changing intent must not fire from the rules alone, with the intents the words point to. */
export interface Abstention {
  readonly competing: readonly Intent[];
}

const intentOfClass: Partial<Record<WordClass, Intent>> = {
  restart: "restart",
  start: "restart",
  reboot: "reboot",
  fix: "fix",
  deploy: "deploy",
  backup: "backup",
  setVerb: "config",
  codeVerb: "code",
};

/** Decides whether the rules may fire `intent`; undefined when the sentence is accounted for. */
export function abstain(a: Analysis, intent: Intent, hasParam: boolean): Abstention | undefined {
  const explained = explains[intent];
  if (explained === undefined) return undefined;
  // "update billing-api to the latest version", "поставь свежую версию": the verbs of a deploy.
  const allowed: readonly WordClass[] =
    intent === "deploy" && a.has("latest") ? [...explained, "setVerb", "start"] : explained;
  const competing = new Set<Intent>();
  let unexplained = false;
  for (const set of a.classes) {
    const actions = actionClasses.filter((c) => set.has(c));
    if (actions.length === 0 || actions.some((c) => allowed.includes(c))) continue;
    unexplained = true;
    for (const c of actions) {
      const other = intentOfClass[c];
      if (other !== undefined && other !== intent) competing.add(other);
    }
  }
  if (intent !== "code" && twoRequests(a)) unexplained = true;
  if (!detailed.has(intent)) {
    if (a.has("condition") || a.has("correction")) unexplained = true;
    // A backup saves configurations; a repair may be about a setting: only the others must not carry one.
    if (intent !== "fix" && intent !== "backup" && (hasParam || a.has("configNoun"))) {
      unexplained = true;
      competing.add("config");
    }
    if (attachment(a) || a.leftover.some((i) => looksLikeVerb(a.words[i] ?? ""))) unexplained = true;
  }
  if (!unexplained) return undefined;
  return { competing: [intent, ...[...competing].filter((c) => c !== intent)] };
}

/** Classes of a word that attach a setting to a command rather than name its target. */
const settingClasses: readonly WordClass[] = ["param", "newWord", "memory", "disk", "cpu", "configNoun"];

/** "with more memory", "с новым таймаутом": a setting or an unexplained word attached to the command. */
function attachment(a: Analysis): boolean {
  return a.where("with").some((i) => {
    const next = i + 1;
    if (next >= a.words.length) return false;
    if (a.leftover.includes(next) || a.numbers.some((n) => n.start === next)) return true;
    return settingClasses.some((c) => a.classes[next]?.has(c));
  });
}

const conjunctions = new Set(["и", "and", "or", "или", "then", "затем", "потом", "плюс", "plus"]);

/** Two different action words with a conjunction between them: two requests in one sentence. */
function twoRequests(a: Analysis): boolean {
  const actions = a.classes.flatMap((set, i) => (actionClasses.some((c) => set.has(c)) ? [i] : []));
  for (let k = 1; k < actions.length; k++) {
    const from = actions[k - 1] ?? 0;
    const to = actions[k] ?? 0;
    // "разберись и почини" asks for one repair in two words.
    const same = actionClasses.every((c) => a.classes[from]?.has(c) === a.classes[to]?.has(c));
    if (!same && a.words.slice(from + 1, to).some((w) => conjunctions.has(w))) return true;
  }
  return false;
}

/** A Russian infinitive or imperative left unexplained ("почистить", "сбрось"): another action. */
function looksLikeVerb(word: string): boolean {
  if (!/^[а-я]+$/.test(word) || word.length < 4) return false;
  return (
    /(ть|ти|чь|ться|йте|ите)$/.test(word) || /[бвгджзклмнпрстфхцчшщ]и$/.test(word) || /(ай|яй|уй)$/.test(word)
  );
}
