/** Checks that a text reads in one language: quoted evidence aside, no Latin-only sentence in Russian, no Cyrillic in English. */

/** The text without its quoted evidence: indented data lines, «…» and “…” quotations. */
function ownWords(text: string): string[] {
  return text
    .split("\n")
    .filter((line) => !line.startsWith("  "))
    .map((line) =>
      line
        .replace(/«[^»]*»/g, "«»")
        .replace(/“[^”]*”/g, "“”")
        .replace(/"[^"]*"/g, '""'),
    );
}

/** Sentences of a Russian text that have Latin letters and no Cyrillic one (the operator would read English). */
export function latinOnlySentences(text: string): string[] {
  return ownWords(text)
    .flatMap((line) => line.split(/(?<=[.!?])\s+/))
    .filter((s) => /[A-Za-z]{2}/.test(s) && !/[А-Яа-яЁё]/.test(s));
}

/** Lines of an English text with Cyrillic words in them. */
export function cyrillicLines(text: string): string[] {
  return ownWords(text).filter((line) => /[А-Яа-яЁё]/.test(line));
}
