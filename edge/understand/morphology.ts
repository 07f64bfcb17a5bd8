/**
 * Russian and English word endings: enough morphology to see that "первую", "первой" and "первый"
 * are one word, and that "логирование" is not a form of "лог".
 */
import { isCyrillic } from "./normalize.ts";

/** Case and number endings of Russian nouns and adjectives (and short verb endings). */
const russianEndings = [
  "",
  "а",
  "я",
  "ы",
  "и",
  "у",
  "ю",
  "е",
  "о",
  "ь",
  "ой",
  "ей",
  "ом",
  "ем",
  "ам",
  "ям",
  "ах",
  "ях",
  "ов",
  "ев",
  "ью",
  "ами",
  "ями",
  "ый",
  "ий",
  "ая",
  "яя",
  "ое",
  "ее",
  "ые",
  "ие",
  "ую",
  "юю",
  "ого",
  "его",
  "ому",
  "ему",
  "ым",
  "им",
  "ых",
  "их",
  "ыми",
  "ими",
  "ия",
  "ию",
  "ии",
  "ией",
  "иям",
  "иях",
  "ием",
];

const russianEndingSet = new Set(russianEndings);
const longestFirst = [...russianEndings].filter((e) => e.length > 0).sort((a, b) => b.length - a.length);

const englishEndings = new Set(["", "s", "es"]);

/** True when `word` is `stem` plus a Russian case ending (or an English plural for Latin stems). */
export function inflects(word: string, stem: string): boolean {
  if (!word.startsWith(stem)) return false;
  const rest = word.slice(stem.length);
  return isCyrillic(stem) ? russianEndingSet.has(rest) : englishEndings.has(rest);
}

/** The stem of a Russian word with its case ending cut (kept at three letters at least). */
export function stemOf(word: string): string {
  if (!isCyrillic(word)) return word;
  for (const ending of longestFirst) {
    if (word.endsWith(ending) && word.length - ending.length >= 3) return word.slice(0, -ending.length);
  }
  return word;
}

/** Possible bases of a heard word: itself, without its ending, without a diminutive "-к-" ("админку" → "админ"). */
export function basesOf(word: string): string[] {
  const out = [word];
  if (isCyrillic(word)) {
    for (const ending of longestFirst) {
      if (!word.endsWith(ending) || word.length - ending.length < 3) continue;
      const base = word.slice(0, -ending.length);
      if (!out.includes(base)) out.push(base);
      if (base.endsWith("к") && base.length >= 5) {
        const noSuffix = base.slice(0, -1);
        if (!out.includes(noSuffix)) out.push(noSuffix);
      }
    }
  } else if (word.length > 4 && word.endsWith("s")) {
    out.push(word.slice(0, -1));
  }
  return out;
}

/**
 * True when a Russian verb form is a reflexive indicative or infinitive ("перезапускается",
 * "перезагрузился"): it tells a state, not a command. Reflexive imperatives ("разберись") stay commands.
 */
export function isReflexive(word: string): boolean {
  return isCyrillic(word) && word.length > 5 && /(тся|ться|лся|лась|лось|лись)$/.test(word);
}
