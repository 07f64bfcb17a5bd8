/**
 * The one parse of a deployable's environment: every declared setting is read into a typed object,
 * a wrong value becomes a sentence naming the variable and the expected form (a secret's value is
 * never shown) and leaves the setting at its default, and a `VOXOPS_*` name that no deployable
 * declares is reported once as a likely typo.
 */
import { shownText } from "../shown-text.ts";
import type { Declarations, SettingsOf } from "./setting.ts";
import { consequenceRu, featureWordsRu, formRu } from "./setting-words-ru.ts";

/** A setting that could not be used. */
export interface SettingProblem {
  readonly setting: string;
  /** The features that depend on it (turned off by the host). */
  readonly features: readonly string[];
  /** "NAME must be …; … is off." */
  readonly sentence: string;
  /** The same sentence in Russian, for the Russian admins. */
  readonly sentenceRu: string;
}

/** The parsed environment of one deployable. */
export interface ParsedSettings<S> {
  readonly values: S;
  /** Wrong values, one sentence each. */
  readonly problems: readonly SettingProblem[];
  /** `VOXOPS_*` names no deployable declares, one sentence each. */
  readonly unknown: readonly string[];
  /** The same sentences in Russian, in the same order. */
  readonly unknownRu: readonly string[];
  /** True when a setting the feature needs is wrong: the host turns the feature off. */
  broken(feature: string): boolean;
}

/** The features as sentences name them. */
export const featureWords: Readonly<Record<string, string>> = {
  core: "the controller",
  telegram: "the Telegram bot",
  llm: "the LLM",
  speech: "speech (voice messages and spoken replies)",
  watchdog: "the watchdog",
  oracle: "resets through Oracle Cloud",
  lease: "the fencing lease",
  confirmations: "confirmations",
  reboot: "reboots of several VMs",
  "autofix-approval": "auto-fix approval",
  autofix: "auto-fix",
  peer: "the peer probe",
  backup: "scheduled backups",
  link: "the link to the controllers",
  "local-run": "the local run",
  mirror: "the mirror",
  cli: "the command line",
  actions: "the sidecar's actions",
};

function shown(raw: string, secret: boolean): string {
  if (secret) return "";
  return ` (it is "${shownText(raw, 40)}")`;
}

function consequence(features: readonly string[]): string {
  const words = features.map((f) => featureWords[f] ?? f);
  const joined =
    words.length <= 1 ? (words[0] ?? "") : `${words.slice(0, -1).join(", ")} and ${words.at(-1)}`;
  return `${joined} ${words.length > 1 ? "are" : "is"} off`;
}

function shownRu(raw: string, secret: boolean): string {
  if (secret) return "";
  return ` (сейчас «${shownText(raw, 40)}»)`;
}

function consequenceInRussian(features: readonly string[]): string {
  const words = features.map((f) => featureWordsRu[f] ?? f);
  const joined = words.length <= 1 ? (words[0] ?? "") : `${words.slice(0, -1).join(", ")} и ${words.at(-1)}`;
  return `${words.length > 1 ? "не работают" : "не работает"}: ${joined}`;
}

/** Edit distance, for naming the setting a typo was meant to be (names are short). */
function distance(a: string, b: string): number {
  let row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++)
      next[j] = Math.min(
        (row[j] ?? 0) + 1,
        (next[j - 1] ?? 0) + 1,
        (row[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    row = next;
  }
  return row[b.length] ?? 0;
}

/** The declared name a misspelt one was likely meant to be, if any is close. */
function closest(name: string, known: readonly string[]): string | undefined {
  const best = known.map((k) => ({ k, d: distance(name, k) })).sort((x, y) => x.d - y.d)[0];
  return best && best.d <= Math.max(2, Math.floor(name.length / 5)) ? best.k : undefined;
}

/** The sentence for a `VOXOPS_*` name nothing declares, with the closest declared name when there is one. */
export function unknownSettingSentence(name: string, known: readonly string[]): string {
  const guess = closest(name, known);
  return `${name} is not a voxops setting and is ignored.${guess ? ` Did you mean ${guess}?` : ""}`;
}

/** The same sentence in Russian. */
export function unknownSettingSentenceRu(name: string, known: readonly string[]): string {
  const guess = closest(name, known);
  return `${name} — не настройка voxops, она не учитывается.${guess ? ` Возможно, имелась в виду ${guess}?` : ""}`;
}

/**
 * Parses `env` against `declarations`. `known` lists every name any deployable declares (a setting
 * of another deployable is not a typo: the local run hands its sidecar the controller's settings).
 */
export function parseSettings<D extends Declarations>(
  declarations: D,
  env: Readonly<Record<string, unknown>>,
  known: readonly string[] = Object.keys(declarations),
): ParsedSettings<SettingsOf<D>> {
  const values: Record<string, unknown> = {};
  const problems: SettingProblem[] = [];
  for (const [name, setting] of Object.entries(declarations)) {
    const raw = env[name];
    const text = typeof raw === "string" ? raw.trim() : "";
    if (text === "") {
      values[name] = setting.fallback;
      continue;
    }
    const parsed = setting.schema.safeParse(text);
    if (parsed.success) {
      values[name] = parsed.data;
      continue;
    }
    values[name] = setting.fallback;
    problems.push({
      setting: name,
      features: setting.features,
      sentence: `${name} must be ${setting.expected}${shown(text, setting.secret)}; ${setting.ifWrong ?? consequence(setting.features)}.`,
      sentenceRu: `Значение ${name} должно быть таким: ${formRu(setting.expected) ?? `«${setting.expected}»`}${shownRu(text, setting.secret)}; ${(setting.ifWrong && consequenceRu(setting.ifWrong)) ?? consequenceInRussian(setting.features)}.`,
    });
  }
  const declared = new Set([...known, ...Object.keys(declarations)]);
  const unknownNames = Object.keys(env)
    .filter((name) => name.startsWith("VOXOPS_") && !declared.has(name))
    .sort();
  const unknown = unknownNames.map((name) => unknownSettingSentence(name, [...declared]));
  const unknownRu = unknownNames.map((name) => unknownSettingSentenceRu(name, [...declared]));
  return {
    values: values as SettingsOf<D>,
    problems,
    unknown,
    unknownRu,
    broken: (feature) => problems.some((p) => p.features.includes(feature)),
  };
}
