/**
 * Finding VMs in heard words: names ("vm1", "вм 2"), roles and aliases from the inventory in any
 * case form ("первую", "хабе", "основной"), "machine number two", "both" and "all servers". A VM
 * that is named but not in the inventory ("третья машина", "vm7") is reported as unknown.
 */
import type { Inventory } from "../../protocol/inventory.ts";
import type { WordClass } from "./lexicon.ts";
import { inflects, stemOf } from "./morphology.ts";
import { normalize } from "./normalize.ts";
import { numberWord } from "./numbers.ts";
import { soundKey } from "./phonetic.ts";

/** A VM heard in the text: a name, "all", or null for a VM the inventory does not have. */
export interface VmMention {
  readonly vm: string | null;
  readonly start: number;
  readonly end: number;
  /** True when said as a place ("на хабе", "on vm1") rather than as the object of the verb. */
  readonly locative: boolean;
  /** True when a machine noun ("машина", "server") is part of the mention. */
  readonly machine: boolean;
}

/** A prepared index of an inventory's VM names. */
export interface VmIndex {
  readonly names: readonly string[];
  /** Finds VM mentions; `classes` are the lexicon classes of each word. */
  find(
    words: readonly string[],
    classes: readonly ReadonlySet<WordClass>[],
    skip: readonly boolean[],
  ): VmMention[];
  /** True when a word is one of the VMs' names or aliases. */
  isVmWord(word: string): boolean;
}

const ordinals: [RegExp, number][] = [
  [/^(перв(ый|ая|ую|ой|ое|ого|ом|ому)|first|1st)$/, 1],
  [/^(втор(ой|ая|ую|ое|ого|ом|ому)|second|2nd)$/, 2],
  [/^(трет(ий|ья|ью|ьей|ье|ьего|ьем|ьему)|third|3rd)$/, 3],
  [/^(четверт(ый|ая|ую|ой|ое|ого|ом)|fourth|4th)$/, 4],
  [/^(пят(ый|ая|ую|ой|ое|ого|ом)|fifth|5th)$/, 5],
];

function ordinalOf(word: string): number | undefined {
  for (const [pattern, n] of ordinals) if (pattern.test(word)) return n;
  return undefined;
}

/** Builds the VM index of an inventory. */
export function createVmIndex(inventory: Inventory): VmIndex {
  const names = inventory.vms.map((vm) => vm.name);
  const aliases: { vm: string; words: string[] }[] = [];
  for (const vm of inventory.vms) {
    for (const alias of [vm.name, vm.role, ...vm.aliases]) {
      const words = normalize(alias).tokens.map((t) => t.text);
      if (words.length > 0) aliases.push({ vm: vm.name, words });
    }
  }
  aliases.sort((a, b) => b.words.length - a.words.length);
  const single = new Set(aliases.filter((a) => a.words.length === 1).map((a) => a.words[0] ?? ""));
  const singleKeys = new Set([...single].map((w) => soundKey(w).full));

  const numbered = names.map((name) => ({ name, n: /(?:^|\D)(\d+)$/.exec(name)?.[1] }));
  const byNumber = (n: number): string | null => numbered.find((v) => v.n === String(n))?.name ?? null;

  const fits = (word: string, alias: string): boolean =>
    word === alias ||
    (alias.length >= 3 && inflects(word, stemOf(alias))) ||
    (alias.length >= 3 && soundKey(word).full === soundKey(alias).full);

  return {
    names,
    isVmWord: (word) => single.has(word) || singleKeys.has(soundKey(word).full),
    find(words, classes, skip) {
      const mentions: VmMention[] = [];
      const has = (i: number, c: WordClass): boolean => classes[i]?.has(c) === true;
      const locativeBefore = (i: number): boolean => {
        for (let k = i - 1; k >= 0 && k >= i - 3; k--) {
          const w = words[k] ?? "";
          if (has(k, "locative")) return true;
          if (!(w === "the" || w === "a" || has(k, "machine") || has(k, "every"))) return false;
        }
        return false;
      };
      const push = (vm: string | null, start: number, end: number): number => {
        let s = start;
        let e = end;
        let machine = false;
        while (s > 0 && has(s - 1, "machine") && !skip[s - 1]) {
          s--;
          machine = true;
        }
        while (e < words.length && has(e, "machine") && !skip[e]) {
          e++;
          machine = true;
        }
        for (let k = s; k < e; k++) if (has(k, "machine")) machine = true;
        mentions.push({ vm, start: s, end: e, locative: locativeBefore(s), machine });
        return e - 1;
      };
      for (let i = 0; i < words.length; i++) {
        if (skip[i]) continue;
        const word = words[i] ?? "";
        if (has(i, "both")) {
          i = push("all", i, i + 1);
          continue;
        }
        if (has(i, "every")) {
          const next = has(i + 1, "machine")
            ? i + 1
            : has(i + 2, "machine") && words[i + 1] === "the"
              ? i + 2
              : -1;
          if (next > 0) i = push("all", i, next + 1);
          continue;
        }
        const alias = aliases.find(
          (a) => i + a.words.length <= words.length && a.words.every((w, k) => fits(words[i + k] ?? "", w)),
        );
        if (alias !== undefined && !alias.words.some((_, k) => skip[i + k])) {
          i = push(alias.vm, i, i + alias.words.length);
          continue;
        }
        const named = /^(?:vm|вм)(\d+)$/.exec(word);
        if (named?.[1] !== undefined) {
          i = push(byNumber(Number(named[1])), i, i + 1);
          continue;
        }
        const ordinal = ordinalOf(word);
        if (ordinal !== undefined && (has(i + 1, "machine") || has(i - 1, "machine"))) {
          i = push(byNumber(ordinal), i, i + 1);
          continue;
        }
        if (has(i, "machine")) {
          let k = i + 1;
          if (words[k] === "номер" || words[k] === "number") k++;
          const n = numberWord(words[k] ?? "");
          // "machine 2" names a VM; "…machine, 30 lines" does not.
          const counted = has(k + 1, "lines") || has(k + 1, "logs");
          if (n !== undefined && !skip[k] && !counted) i = push(byNumber(n), i, k + 1);
        }
      }
      return mentions;
    },
  };
}
