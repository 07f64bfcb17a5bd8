/**
 * Sound keys for Latin and Cyrillic words, so that a service name heard in Russian ("грок войс",
 * "энджинкс", "постгрес") can be compared with the inventory's Latin name ("grok-voice", "nginx").
 */
import { isCyrillic } from "./normalize.ts";

/** A word reduced to how it sounds: `full` keeps vowel classes, `skeleton` keeps consonants only. */
export interface SoundKey {
  readonly full: string;
  readonly skeleton: string;
}

const cyrillicToLatin: Record<string, string> = {
  а: "a",
  б: "b",
  в: "v",
  г: "g",
  д: "d",
  е: "e",
  ж: "G",
  з: "z",
  и: "i",
  й: "i",
  к: "k",
  л: "l",
  м: "m",
  н: "n",
  о: "o",
  п: "p",
  р: "r",
  с: "s",
  т: "t",
  у: "u",
  ф: "f",
  х: "h",
  ц: "ts",
  ч: "C",
  ш: "S",
  щ: "S",
  ъ: "",
  ы: "i",
  ь: "",
  э: "e",
  ю: "u",
  я: "a",
};

/** Latin spelling → rough sound, in order; English spelling rules that Russian ears follow. */
const latinRules: [RegExp, string][] = [
  [/sch/g, "S"],
  [/sh/g, "S"],
  [/ch/g, "C"],
  [/ph/g, "f"],
  [/th/g, "t"],
  [/ck/g, "k"],
  [/qu/g, "kv"],
  [/q/g, "k"],
  [/x/g, "ks"],
  [/w/g, "v"],
  [/c(?=[eiy])/g, "s"],
  [/c/g, "k"],
  [/dg/g, "G"],
  [/[gj]/g, "G"],
  [/ee/g, "i"],
  [/oo/g, "u"],
  [/y/g, "i"],
  [/(?<=[^aeiou])e$/g, ""],
];

const vowelClass: Record<string, string> = { a: "A", o: "A", u: "A", e: "I", i: "I" };
const finalDevoicing: Record<string, string> = { b: "p", d: "t", G: "k", v: "f" };

function transliterate(word: string): string {
  if (isCyrillic(word)) {
    let out = "";
    const w = word.replaceAll("дж", "\u0000");
    for (const ch of w) out += ch === "\u0000" ? "G" : (cyrillicToLatin[ch] ?? ch);
    return out.replace(/g/g, "G");
  }
  let out = word;
  for (const [pattern, replacement] of latinRules) out = out.replace(pattern, replacement);
  return out;
}

const cache = new Map<string, SoundKey>();
const cacheLimit = 20_000;

/** The sound key of one word (memoised: the same words come back in every command). */
export function soundKey(word: string): SoundKey {
  let key = cache.get(word);
  if (key === undefined) {
    key = computeSoundKey(word);
    if (cache.size >= cacheLimit) cache.clear();
    cache.set(word, key);
  }
  return key;
}

function computeSoundKey(word: string): SoundKey {
  const latin = transliterate(word).replace(/z/g, "s");
  let full = "";
  for (const ch of latin) {
    const mapped = vowelClass[ch] ?? ch;
    if (full.endsWith(mapped)) continue;
    full += mapped;
  }
  const last = full.at(-1);
  if (last !== undefined && finalDevoicing[last] !== undefined)
    full = full.slice(0, -1) + finalDevoicing[last];
  const skeleton = full.replace(/[AI]/g, "");
  return { full, skeleton };
}

/** How well a heard word matches a name's word: 0 (not at all) to 1 (same sound). */
export function soundMatch(heard: SoundKey, name: SoundKey): number {
  if (heard.full === name.full) return 1;
  if (heard.skeleton.length >= 4 && heard.skeleton === name.skeleton) return 0.9;
  if (
    heard.skeleton.length >= 5 &&
    name.full.startsWith(heard.full) &&
    heard.full.length / name.full.length >= 0.6
  )
    return 0.8;
  if (heard.full.length >= 6 && name.full.length >= 6 && withinOneEdit(heard.full, name.full)) return 0.7;
  return 0;
}

/**
 * True when a heard word is one sound away from a short part of a name ("граф" for "grok"): same
 * first sound, one edit apart. Only for a part said beside the name's other parts, never alone.
 */
export function nearMatch(heard: SoundKey, name: SoundKey): boolean {
  return (
    heard.full.length >= 3 &&
    name.full.length >= 3 &&
    heard.full[0] === name.full[0] &&
    withinOneEdit(heard.full, name.full)
  );
}

/** True when two strings differ by at most one insertion, deletion or substitution. */
function withinOneEdit(a: string, b: string): boolean {
  if (Math.abs(a.length - b.length) > 1) return false;
  let i = 0;
  let j = 0;
  let edits = 0;
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) {
      i++;
      j++;
      continue;
    }
    if (++edits > 1) return false;
    if (a.length > b.length) i++;
    else if (b.length > a.length) j++;
    else {
      i++;
      j++;
    }
  }
  return edits + (a.length - i) + (b.length - j) <= 1;
}
