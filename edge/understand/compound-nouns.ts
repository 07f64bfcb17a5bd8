/**
 * A command word used as a noun beside "logs" or "status" names what to read, not what to do:
 * "логи перезапуска", "deploy logs", "статус бэкапа", "restart status" run nothing. A search word
 * after an article or before "service" names a thing: "fix the search service" searches nothing.
 * An action after "без"/"without" is one to leave out: "без перезапуска покажи логи" restarts nothing.
 */
import type { WordClass } from "./lexicon.ts";

const commandWords: readonly WordClass[] = ["restart", "reboot", "deploy", "backup"];
const readNouns: readonly WordClass[] = ["logs", "status"];

/** Clears the command classes of a command word right beside a logs or status noun. */
export function tagCompoundNouns(classes: Set<WordClass>[], words: readonly string[] = []): void {
  classes.forEach((set, i) => {
    if (!/^(без|without)$/.test(words[i - 1] ?? "") || !commandWords.some((c) => set.has(c))) return;
    for (const c of commandWords) set.delete(c);
    set.add("known");
  });
  classes.forEach((set, i) => {
    if (!set.has("search")) return;
    const article = /^(the|a|an|our|my|this|that|its)$/.test(words[i - 1] ?? "");
    if (article || classes[i + 1]?.has("serviceNoun")) set.delete("search");
  });
  classes.forEach((set, i) => {
    if (!commandWords.some((c) => set.has(c))) return;
    const beside = [classes[i - 1], classes[i + 1]].some((n) => readNouns.some((c) => n?.has(c)));
    if (!beside || readNouns.some((c) => set.has(c))) return;
    for (const c of commandWords) set.delete(c);
    set.add("known");
  });
}
