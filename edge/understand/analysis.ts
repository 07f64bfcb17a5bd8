/** One sentence taken apart: its words, their classes, and the services, VMs and numbers heard in it. */
import type { WordClass } from "./lexicon.ts";
import type { Token } from "./normalize.ts";
import { findNumbers, type NumberSpan } from "./numbers.ts";
import type { ServiceIndex, ServiceMention } from "./service-index.ts";
import { tag } from "./tagger.ts";
import type { VmIndex, VmMention } from "./vm-index.ts";

/** Classes that name a command or what it acts on; such a word never stands for a service alone. */
const lexicalClasses: readonly WordClass[] = [
  "restart",
  "start",
  "reboot",
  "fix",
  "deploy",
  "backup",
  "configNoun",
  "setVerb",
  "codeVerb",
  "codeNoun",
  "errors",
  "logs",
  "lines",
  "memory",
  "disk",
  "cpu",
  "metrics",
  "status",
  "look",
  "state",
  "help",
  "machine",
  "serviceNoun",
  "both",
  "every",
  "neg",
  "negHard",
  "question",
  "locative",
  "search",
  "report",
  "known",
];

/** Units said after a number. */
const unitWord =
  /^(секунд|сек|минут|мин|час|мегабайт|гигабайт|килобайт|second|sec|minute|min|hour|mb|gb|kb|ms|мс)/;

/** The parts of a sentence the rules look at. */
export interface Analysis {
  readonly words: readonly string[];
  readonly tokens: readonly Token[];
  readonly classes: readonly ReadonlySet<WordClass>[];
  readonly services: readonly ServiceMention[];
  readonly vms: readonly VmMention[];
  readonly numbers: readonly NumberSpan[];
  /** Words that no rule, target or number accounts for. */
  readonly leftover: readonly number[];
  readonly shell: boolean;
  /** The sentence's chunks as written, case kept (a token's `chunk` indexes them). */
  readonly chunks: readonly string[];
  /** Texts said in quotes. */
  readonly quoted: readonly string[];
  /** Index of the first question or condition word ("почему", "if"), or the sentence length. */
  readonly questionAt: number;
  /** True when some word is in `cls`. */
  has(cls: WordClass): boolean;
  /** True when some word before the first question word is in `cls` (a command, not a hypothetical). */
  commands(cls: WordClass): boolean;
  /** Indices of the words in `cls`. */
  where(cls: WordClass): number[];
}

/** Takes a tokenised sentence apart against the inventory's indexes. */
export function analyse(
  tokens: readonly Token[],
  shell: boolean,
  serviceIndex: ServiceIndex,
  vmIndex: VmIndex,
  source: { readonly chunks: readonly string[]; readonly quoted: readonly string[] } = {
    chunks: [],
    quoted: [],
  },
): Analysis {
  const words = tokens.map((t) => t.text);
  const { classes, idiom } = tag(words);
  // A file name ("deploy.sh", "config/default.json", "main.py") names a file, never a command or a VM.
  tokens.forEach((t, i) => {
    if (t.file) classes[i]?.clear();
  });
  const lexical = classes.map((set) => lexicalClasses.some((c) => set.has(c) && c !== "known"));
  // Parts of parameter names and paths ("worker_connections", "/health") never stand for a service alone.
  const services = serviceIndex.find(
    words,
    idiom,
    lexical.map((l, i) => l || tokens[i]?.param === true || tokens[i]?.path === true),
  );
  const inService = words.map((_, i) => services.some((m) => i >= m.start && i < m.end));
  // A word that is part of a service's full name ("backup" in "backup-agent") commands nothing.
  for (const m of services) {
    if (m.strength !== "full") continue;
    for (let i = m.start; i < m.end; i++) classes[i]?.clear();
  }
  // A unit after a number ("30 секунд", "10 seconds") is a quantity, never the second VM.
  const spans = findNumbers(words);
  const unit = words.map((w, i) => unitWord.test(w) && spans.some((n) => n.end === i));
  // An ordinal before a count or "lines" ("the first 20 lines", "первые 50 строк") counts lines, not VMs.
  const ordinal = words.map(
    (_, i) =>
      classes[i + 1]?.has("lines") === true ||
      spans.some((n) => n.start === i + 1 && classes[n.end]?.has("lines") === true),
  );
  const vms = vmIndex.find(
    words,
    classes,
    words.map(
      (_, i) =>
        idiom[i] === true ||
        inService[i] === true ||
        unit[i] === true ||
        ordinal[i] === true ||
        tokens[i]?.file === true,
    ),
  );
  const inVm = words.map((_, i) => vms.some((m) => i >= m.start && i < m.end));
  const numbers = findNumbers(words).filter(
    (n) => !inVm.slice(n.start, n.end).some(Boolean) && !tokens.slice(n.start, n.end).some((t) => t.file),
  );
  const inNumber = words.map((_, i) => numbers.some((n) => i >= n.start && i < n.end));
  const leftover: number[] = [];
  words.forEach((_, i) => {
    if (idiom[i] || inService[i] || inVm[i] || inNumber[i] || tokens[i]?.file || (classes[i]?.size ?? 0) > 0)
      return;
    leftover.push(i);
  });
  const questionWords = words.map((_, i) => i).filter((i) => classes[i]?.has("question"));
  const questionAt = questionWords[0] ?? words.length;
  return {
    words,
    tokens,
    classes,
    services,
    vms,
    numbers,
    leftover,
    shell,
    chunks: source.chunks,
    quoted: source.quoted,
    questionAt,
    has: (cls) => classes.some((set) => set.has(cls)),
    commands: (cls) => classes.some((set, i) => i < questionAt && set.has(cls)),
    where: (cls) => words.map((_, i) => i).filter((i) => classes[i]?.has(cls)),
  };
}
