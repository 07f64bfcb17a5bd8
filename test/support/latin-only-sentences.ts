/**
 * Checks that a reply reads in one language: the sentences of a Russian text that are English, and the
 * lines of an English text with Russian in them. Quoted evidence is the VM's or the model's words, not
 * ours, and is left out first: indented lines (log and output lines), «…», “…”, "…", `…` and
 * parenthesised asides (pids, program names, file names).
 */

/** The text's own words, line by line, with its quoted evidence left out. */
function ownWords(text: string): string[] {
  return text
    .split("\n")
    .filter((line) => !line.startsWith("  "))
    .map((line) =>
      line
        .replace(/«[^»]*»/g, "«»")
        .replace(/“[^”]*”/g, "“”")
        .replace(/"[^"]*"/g, '""')
        .replace(/`[^`]*`/g, "``")
        .replace(/\([^()]*\)/g, ""),
    );
}

/**
 * A word of English prose: Latin letters, lower case after the first, standing alone — not part of a
 * path, file, unit, identifier or number (a.js, nginx.service, grok-voice, vm1, GiB, HTTP).
 */
const proseWord = /(?<![\w./=@+\-:])[A-Za-z][a-z]+(?![\w./=@+-])/g;

/** Three words of English prose in a row: an English phrase, even inside a sentence with Russian in it. */
const prosePhrase = /(?<![\w./=@+\-:])[A-Za-z][a-z]+(?:,?\s+[a-z]+){2,}(?![\w./=@+-])/;

/**
 * The sentences of a Russian text (split at . ! ? and line ends) that are English: no Cyrillic letter
 * and a word of English prose, or an English phrase of three words or more ("Изменения нет: the model
 * proposed no change"). `names` are the fleet's own words (services, VMs, programs) that may stand alone.
 */
export function latinOnlySentences(text: string, names: readonly string[] = []): string[] {
  const allowed = new Set(names.map((n) => n.toLowerCase()));
  return ownWords(text)
    .flatMap((line) => line.split(/(?<=[.!?])\s+/))
    .map((s) => s.trim())
    .filter(
      (s) =>
        prosePhrase.test(s) ||
        (!/[А-Яа-яЁё]/.test(s) && (s.match(proseWord) ?? []).some((w) => !allowed.has(w.toLowerCase()))),
    );
}

/** Lines of an English text with Cyrillic words in them (quoted evidence aside). */
export function cyrillicLines(text: string): string[] {
  return ownWords(text).filter((line) => /[А-Яа-яЁё]/.test(line));
}
