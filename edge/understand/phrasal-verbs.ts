/**
 * English phrasal verbs read as units, even when split by their object: "bring the admin api back
 * up" and "start it back up" start a service, "back everything up" backs up; the particles "back"
 * and "up" mean nothing on their own.
 */
import type { WordClass } from "./lexicon.ts";

/** Verbs that, with a later "up" or "back online", mean starting something again. */
const startVerbs = /^(bring|brings|bringing|brought|get|start|spin|fire|boot|power)$/;
/** How many words an object between a verb and its particle may take ("bring the admin api back up"). */
const maxObject = 5;

function reclass(set: Set<WordClass> | undefined, cls: WordClass): void {
  if (set === undefined) return;
  set.delete("backup");
  set.delete("state");
  set.add(cls);
}

/** Retags split and joined phrasal verbs in place. */
export function tagPhrasalVerbs(words: readonly string[], classes: Set<WordClass>[]): void {
  // "up the timeout to 30 seconds": "up" opening a sentence is the verb "raise".
  if (words[0] === "up" && words.length > 1) {
    classes[0]?.delete("state");
    classes[0]?.add("setVerb");
  }
  const done = new Set<number>();
  words.forEach((word, i) => {
    if (!startVerbs.test(word)) return;
    for (let k = i + 1; k <= i + 1 + maxObject && k < words.length; k++) {
      const particle = words[k];
      const backOnline = particle === "back" && /^(up|online|on)$/.test(words[k + 1] ?? "");
      if (particle !== "up" && !backOnline) continue;
      const end = backOnline ? k + 1 : k;
      for (const at of [i, k, end]) {
        reclass(classes[at], "start");
        done.add(at);
      }
      return;
    }
  });
  // "a status update" asks for a report, it updates nothing.
  words.forEach((word, i) => {
    if ((word === "update" || word === "updates" || word === "апдейт") && classes[i - 1]?.has("status")) {
      classes[i]?.delete("setVerb");
      classes[i]?.add("status");
    }
  });
  // "back <object> up": the split form of "back up".
  words.forEach((word, i) => {
    if (word !== "back" || done.has(i)) return;
    for (let k = i + 1; k <= i + 1 + maxObject && k < words.length; k++) {
      if (words[k] !== "up" || done.has(k)) continue;
      reclass(classes[i], "backup");
      reclass(classes[k], "backup");
      return;
    }
  });
}
