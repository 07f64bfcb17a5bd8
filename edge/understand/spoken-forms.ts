/**
 * Spoken forms undone before any matching: discourse fillers dropped ("ну короче", "слушай",
 * "so", "actually") and spelled-out letters joined into one word ("эм си пи" / "M C P" /
 * "эм-си-пи" → "mcp"), keeping a case ending said on the last letter ("эм си пи хаба").
 */
import type { Token } from "./normalize.ts";

/** Words that only keep the conversation going; they never change what is asked. */
const fillers = new Set([
  "ну",
  "короче",
  "слушай",
  "слушайте",
  "вообще",
  "типа",
  "блин",
  "кстати",
  "значит",
  "вот",
  "ладно",
  "эй",
  "а",
  "чё",
  "че",
  "пожалуйста",
  "плиз",
  "плз",
  "so",
  "hey",
  "actually",
  "um",
  "uh",
  "uhm",
  "erm",
  "hmm",
  "well",
  "please",
  "pls",
  "basically",
  "yo",
]);

/** Russian names of letters (Russian and English alphabets) → the Latin letter. */
const letterNames: Record<string, string> = {
  эй: "a",
  би: "b",
  бэ: "b",
  си: "c",
  це: "c",
  ди: "d",
  дэ: "d",
  эф: "f",
  джи: "g",
  гэ: "g",
  эйч: "h",
  ай: "i",
  джей: "j",
  кей: "k",
  эл: "l",
  эль: "l",
  эм: "m",
  эн: "n",
  оу: "o",
  пи: "p",
  пэ: "p",
  кью: "q",
  ар: "r",
  эр: "r",
  эс: "s",
  ти: "t",
  тэ: "t",
  ви: "v",
  вэ: "v",
  экс: "x",
  икс: "x",
  уай: "y",
  зед: "z",
  зет: "z",
  зэ: "z",
};

/** The letter a word spells, if it is a bare letter ("m") or a letter's name ("эм"); "a" and "i" are words. */
function letterOf(word: string): string | undefined {
  if (/^[b-hj-z]$/.test(word)) return word;
  return letterNames[word];
}

/** A word run together from letter names ("эмсипи" → "mcp"), if it is nothing else. */
function runTogether(word: string): string | undefined {
  if (!/^[а-я]{4,12}$/.test(word)) return undefined;
  // spelled[k]: the letters spelling word.slice(0, k), when it splits into letter names.
  const spelled: (string | undefined)[] = [""];
  for (let end = 1; end <= word.length; end++) {
    for (let start = Math.max(0, end - 4); start < end && spelled[end] === undefined; start++) {
      const letter = letterNames[word.slice(start, end)];
      const before = spelled[start];
      if (letter !== undefined && before !== undefined && end - start >= 2) spelled[end] = before + letter;
    }
  }
  const out = spelled[word.length];
  return out !== undefined && out.length >= 2 ? out : undefined;
}

/** Drops fillers and joins runs of two or more spelled letters into one word. */
export function undoSpokenForms(tokens: readonly Token[]): Token[] {
  // A filler is dropped only when said as a word of its own, not as part of a name ("so-api").
  const alone = (t: Token) => !tokens.some((o) => o !== t && o.chunk === t.chunk);
  const kept = tokens.filter((t) => !(fillers.has(t.text) && alone(t)));
  const out: Token[] = [];
  for (let i = 0; i < kept.length; i++) {
    const first = kept[i];
    if (first === undefined) continue;
    let run = "";
    let k = i;
    while (k < kept.length) {
      const letter = letterOf(kept[k]?.text ?? "");
      if (letter === undefined) break;
      run += letter;
      k++;
    }
    if (run.length >= 2) {
      out.push({ ...first, text: run, glued: false, param: false, path: false, file: false });
      i = k - 1;
      continue;
    }
    const joined = runTogether(first.text);
    out.push(joined === undefined ? first : { ...first, text: joined });
  }
  return out;
}
