/**
 * What a `files` request asks for: a listing of a directory ("покажи файлы admin-api", "что в папке
 * src у grok-voice"), a line range of one file ("строки с 10 по 40 файла app.py", "read lines 1 to 30
 * of main.py") or a search for a text ("найди TODO в коде admin-api", "grep timeout in worker queue").
 * Names and search texts come from the sentence as written, case kept.
 */
import type { Analysis } from "./analysis.ts";

/** The `files` action's arguments heard in a sentence (the service is filled with the other targets). */
export interface FilesRequest {
  readonly op: "list" | "read" | "search";
  readonly path?: string;
  readonly fromLine?: number;
  readonly toLine?: number;
  readonly text?: string;
}

/** A file (not a directory): it has an ending, or is one of the files named without one. */
const fileName = /(\.[A-Za-z][A-Za-z0-9]{0,5}|^(Dockerfile|Makefile|Procfile|dockerfile|makefile|procfile))$/;

/** Words around a search text that are not part of it ("search for X in the code of api"). */
const searchStops = new Set(
  "me|please|for|the|a|an|word|text|string|where|is|are|used|mentioned|called|in|inside|within|of|on|at|code|source|sources|files|file|repo|repository|tree|слово|слова|текст|строку|строка|строчку|где|упоминается|упоминаются|используется|используются|встречается|встречаются|есть|в|во|у|из|по|на|коде|код|кода|исходниках|исходники|файлах|файлы|репозитории|репо|дереве|мне".split(
    "|",
  ),
);

/** Words before a number that make it the first line of a range ("с 10", "from line 5"). */
const fromWords = /^(с|со|from|starting|начиная|after|после)$/;
/** Words before a number that make it the last line counted from the top ("первые 50", "first 20"). */
const firstWords = /^(первые|первых|первая|первую|first|top|начало)$/;

/** Reads a files request out of a sentence; undefined when it asks for no listing, file or search. */
export function filesRequest(a: Analysis): FilesRequest | undefined {
  if (a.commands("search") && !a.has("errors") && !a.has("logs")) {
    const text = searchText(a);
    return text === undefined ? undefined : { op: "search", text };
  }
  const pathAt = a.tokens.findIndex((t) => t.file);
  const path = pathAt < 0 ? undefined : a.chunks[a.tokens[pathAt]?.chunk ?? -1]?.replace(/^\.\//, "");
  if (path !== undefined && fileName.test(path)) return { op: "read", path, ...lineRange(a) };
  if (path !== undefined) return { op: "list", path: path.replace(/\/+$/, "") };
  if (!a.has("filesNoun")) return undefined;
  const dir = directoryNamed(a);
  return dir === undefined ? { op: "list" } : { op: "list", path: dir };
}

/** The directory said after "папка", "folder" ("что в папке src"), as written. */
function directoryNamed(a: Analysis): string | undefined {
  for (const i of a.where("filesNoun")) {
    if (!/^(папк|директори|каталог|folder|directory|dir)/.test(a.words[i] ?? "")) continue;
    // The name may be a word of its own ("папка config"), but never a service, a VM or a preposition.
    const next = i + 1;
    const word = a.words[next];
    if (word === undefined || searchStops.has(word)) continue;
    if (
      a.services.some((m) => next >= m.start && next < m.end) ||
      a.vms.some((m) => next >= m.start && next < m.end)
    )
      continue;
    return a.chunks[a.tokens[next]?.chunk ?? -1];
  }
  return undefined;
}

/** The lines asked for: "с 10 по 40", "lines 1 to 30", "первые 50 строк", "со строки 100", "line 42". */
function lineRange(a: Analysis): { fromLine?: number; toLine?: number } {
  const [first, second] = a.numbers;
  if (first === undefined) return {};
  if (second !== undefined && second.value >= first.value)
    return { fromLine: first.value, toLine: second.value };
  const before = [a.words[first.start - 1] ?? "", a.words[first.start - 2] ?? ""];
  if (before.some((w) => firstWords.test(w))) return { fromLine: 1, toLine: first.value };
  if (before.some((w) => fromWords.test(w))) return { fromLine: first.value };
  if (a.classes[first.start - 1]?.has("lines")) return { fromLine: first.value, toLine: first.value };
  if (a.classes[first.end]?.has("lines")) return { fromLine: 1, toLine: first.value };
  return { fromLine: first.value };
}

/** The text to look for: in quotes, else the first run of words after the search verb that name nothing else. */
function searchText(a: Analysis): string | undefined {
  const quoted = a.quoted[0];
  if (quoted !== undefined) return quoted.length >= 2 ? quoted : undefined;
  const verbAt = a.where("search").find((i) => i < a.questionAt) ?? -1;
  const named = (i: number) =>
    a.services.some((m) => i >= m.start && i < m.end) || a.vms.some((m) => i >= m.start && i < m.end);
  // A Russian reflexive verb ("вызывается", "упоминается") says where the text is, it is not the text.
  const candidate = (i: number) =>
    !named(i) &&
    !searchStops.has(a.words[i] ?? "") &&
    !/^[а-я]+(ся|сь)$/.test(a.words[i] ?? "") &&
    !a.classes[i]?.has("search") &&
    !a.tokens[i]?.file;
  let start = verbAt + 1;
  while (start < a.words.length && !candidate(start)) start++;
  let end = start;
  while (end < a.words.length && candidate(end)) end++;
  if (start >= end) return undefined;
  const chunkIds = [...new Set(a.tokens.slice(start, end).map((t) => t.chunk))];
  const text = chunkIds.map((c) => a.chunks[c] ?? "").join(" ");
  return text.length >= 2 ? text : undefined;
}
