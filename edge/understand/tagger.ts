/** Marks each word of a sentence with the lexicon classes it belongs to. */

import { tagCompoundNouns } from "./compound-nouns.ts";
import { idioms, lexicon, type WordClass } from "./lexicon.ts";
import { inflects, isReflexive } from "./morphology.ts";
import { tagPhrasalVerbs } from "./phrasal-verbs.ts";
import { isReportingForm } from "./verb-forms.ts";

interface WordPattern {
  readonly text: string;
  readonly mode: "exact" | "inflect" | "prefix";
}

interface Phrase {
  readonly words: readonly WordPattern[];
  readonly cls: WordClass;
}

/** Classes that make a command; a reflexive verb form ("перезапускается") describes a state instead. */
const commandClasses = new Set<WordClass>([
  "restart",
  "start",
  "reboot",
  "fix",
  "deploy",
  "backup",
  "setVerb",
  "codeVerb",
]);

function compile(entry: string): WordPattern[] {
  return entry.split(" ").map((word) => {
    if (word.endsWith("*")) return { text: word.slice(0, -1), mode: "prefix" };
    if (word.endsWith("~")) return { text: word.slice(0, -1), mode: "inflect" };
    return { text: word, mode: "exact" };
  });
}

const phrases: Phrase[] = [];
for (const [cls, entries] of Object.entries(lexicon) as [WordClass, readonly string[]][]) {
  for (const entry of entries) phrases.push({ words: compile(entry), cls });
}
// Longer phrases first so that "не надо" is seen before "не".
phrases.sort((a, b) => b.words.length - a.words.length);

/** Single-word entries indexed by first letter, for speed. */
const byFirstLetter = new Map<string, Phrase[]>();
const multiWord: Phrase[] = [];
for (const phrase of phrases) {
  const first = phrase.words[0];
  if (first === undefined) continue;
  if (phrase.words.length > 1) {
    multiWord.push(phrase);
    continue;
  }
  const key = first.text[0] ?? "";
  const list = byFirstLetter.get(key) ?? [];
  list.push(phrase);
  byFirstLetter.set(key, list);
}

function matches(word: string, pattern: WordPattern): boolean {
  if (pattern.mode === "exact") return word === pattern.text;
  if (pattern.mode === "prefix") return word.startsWith(pattern.text);
  return inflects(word, pattern.text);
}

/** Classes per word (the caller may clear a word's classes when it turns out to be a name). */
export interface Tagging {
  readonly classes: Set<WordClass>[];
  /** Words covered by an idiom: they name nothing. */
  readonly idiom: readonly boolean[];
}

/** Tags the words of a sentence. */
export function tag(words: readonly string[]): Tagging {
  const classes = words.map(() => new Set<WordClass>());
  const idiom = words.map(() => false);
  for (const pattern of idioms) {
    for (let i = 0; i + pattern.length <= words.length; i++) {
      if (pattern.every((w, k) => words[i + k] === w))
        for (let k = 0; k < pattern.length; k++) idiom[i + k] = true;
    }
  }
  for (const phrase of multiWord) {
    for (let i = 0; i + phrase.words.length <= words.length; i++) {
      if (!phrase.words.every((p, k) => matches(words[i + k] ?? "", p))) continue;
      for (let k = 0; k < phrase.words.length; k++) classes[i + k]?.add(phrase.cls);
    }
  }
  words.forEach((word, i) => {
    const set = classes[i];
    if (set === undefined) return;
    for (const phrase of byFirstLetter.get(word[0] ?? "") ?? []) {
      const pattern = phrase.words[0];
      if (pattern !== undefined && matches(word, pattern)) set.add(phrase.cls);
    }
    if (isReflexive(word) && [...set].some((c) => commandClasses.has(c))) {
      for (const c of commandClasses) set.delete(c);
      set.add("state");
    } else if (isReportingForm(word) && [...set].some((c) => commandClasses.has(c))) {
      for (const c of commandClasses) set.delete(c);
      set.add("report");
    }
  });
  tagPhrasalVerbs(words, classes);
  tagCompoundNouns(classes, words);
  return { classes, idiom };
}
