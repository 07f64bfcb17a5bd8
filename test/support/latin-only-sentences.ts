/** Finds the sentences of a Russian text that have no Russian word: English left untranslated. */

/**
 * The sentences and clauses (split at . ! ? : ;) of `text` with a Latin word of four letters or more and
 * no Cyrillic letter. Quoted evidence («…», the VM's own log lines, paths and commands) and parenthesised
 * asides (pids, program names, file names) are the VM's words, not ours, and are left out first.
 */
export function latinOnlySentences(text: string): string[] {
  const ours = text.replace(/«[^»]*»/g, "«…»").replace(/\([^()]*\)/g, "");
  return ours
    .split(/(?<=[.!?:;])\s+/)
    .map((s) => s.trim())
    .filter((s) => /[A-Za-z]{4,}/.test(s) && !/[А-Яа-яЁё]/.test(s));
}
