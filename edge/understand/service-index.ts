/**
 * Finding the inventory's services in heard words: full names in any script ("grok-voice",
 * "грок войс", "гроквойс"), the inventory's own aliases, and a distinctive part of a name
 * ("воркер" → worker-queue, "админка" → admin-api). Only inventory names ever come out.
 */
import type { Inventory } from "../../protocol/inventory.ts";
import { basesOf, inflects, stemOf } from "./morphology.ts";
import { normalize } from "./normalize.ts";
import { nearMatch, type SoundKey, soundKey, soundMatch } from "./phonetic.ts";

/** Where a service was heard: the service, or several candidates when the words fit more than one. */
export interface ServiceMention {
  readonly services: readonly string[];
  readonly start: number;
  readonly end: number;
  /** "full": the whole name or an alias; "part": one distinctive part of a name. */
  readonly strength: "full" | "part";
}

interface ServiceEntry {
  readonly name: string;
  readonly parts: readonly SoundKey[];
  readonly joined: SoundKey;
  readonly aliases: readonly (readonly string[])[];
}

/** Parts of names that say nothing about which service is meant. */
const genericParts = new Set(["service", "svc", "srv", "server", "app", "daemon", "d", "sql"]);

/** Common English parts of service names and how Russian speakers may say them instead. */
const translations: Record<string, readonly string[]> = {
  voice: ["голос"],
  queue: ["очеред"],
  billing: ["биллинг"],
  search: ["поиск"],
  mail: ["почт"],
  payments: ["платеж"],
  payment: ["платеж"],
  gateway: ["шлюз"],
  scheduler: ["планировщик"],
};

/** Kinds of service people name by what they are ("база" → the database), matched against names. */
const kinds: readonly { heard: RegExp; name: RegExp }[] = [
  {
    heard: /^(баз(а|ы|у|е|ой)?|бд|бэдэ|database|databases|db)$/,
    name: /postgres|mysql|maria|mongo|sql|redis|clickhouse|(^|-)db($|-)/,
  },
  {
    heard: /^(прокси|proxy|вебсервер|webserver|балансер|балансировщик|balancer)$/,
    name: /nginx|caddy|apache|httpd|haproxy|traefik|envoy/,
  },
];

/** A prepared index of an inventory's service names. */
export interface ServiceIndex {
  /**
   * Finds service mentions, skipping words marked in `skip`; words marked in `lexical` (command
   * words such as "backup") may be part of a full name but never stand for a service alone.
   */
  find(words: readonly string[], skip: readonly boolean[], lexical: readonly boolean[]): ServiceMention[];
}

/** Builds the service index of an inventory. */
export function createServiceIndex(inventory: Inventory, isVmWord: (word: string) => boolean): ServiceIndex {
  const names = [...new Set(inventory.vms.flatMap((vm) => vm.services.map((s) => s.name)))];
  const aliasesOf = new Map<string, string[][]>();
  for (const vm of inventory.vms) {
    for (const s of vm.services) {
      const list = aliasesOf.get(s.name) ?? [];
      for (const alias of s.aliases) list.push(normalize(alias).tokens.map((t) => t.text));
      aliasesOf.set(s.name, list);
    }
  }
  const entries: ServiceEntry[] = names.map((name) => {
    const parts = name.split(/[-_.@]+/).filter((p) => p.length > 0);
    return {
      name,
      parts: parts.map(soundKey),
      joined: soundKey(parts.join("")),
      aliases: (aliasesOf.get(name) ?? []).filter((a) => a.length > 0),
    };
  });
  // A part is distinctive when one service alone has it and it is not a VM's name or alias.
  const partOwners = new Map<string, Set<string>>();
  for (const name of names) {
    for (const part of name.split(/[-_.@]+/)) {
      const owners = partOwners.get(part) ?? new Set<string>();
      owners.add(name);
      partOwners.set(part, owners);
    }
  }
  const partKeys = [...partOwners.entries()]
    .filter(([part]) => part.length >= 3 && !genericParts.has(part) && !isVmWord(part))
    .map(([part, owners]) => ({ part, key: soundKey(part), owners: [...owners].sort() }));

  const ofKind = (word: string): string[] => {
    const kind = kinds.find((k) => k.heard.test(word));
    return kind === undefined ? [] : names.filter((n) => kind.name.test(n));
  };

  const keyCache = new Map<string, SoundKey[]>();
  const keysOf = (word: string): SoundKey[] => {
    let keys = keyCache.get(word);
    if (keys === undefined) {
      keys = basesOf(word).map(soundKey);
      if (keyCache.size >= 20_000) keyCache.clear();
      keyCache.set(word, keys);
    }
    return keys;
  };
  const wordFits = (word: string, name: SoundKey): boolean =>
    word.length >= 2 && keysOf(word).some((k) => soundMatch(k, name) > 0);

  const fullMatchLength = (
    words: readonly string[],
    lexical: readonly boolean[],
    at: number,
    entry: ServiceEntry,
  ): number => {
    let best = 0;
    // A command word ("backup") starts a name only as the first of its several parts ("backup-agent").
    const first = !lexical[at] || entry.parts.length > 1;
    if (first && entry.parts.every((p, k) => wordFits(words[at + k] ?? "", p))) best = entry.parts.length;
    // A mis-heard part beside the others ("граф войс" for grok-voice): every other part must fit.
    else if (first && entry.parts.length > 1 && nearlyFits(words, lexical, at, entry))
      best = entry.parts.length;
    // Words run together or split apart by the recogniser: "гроквойс", "энджин икс".
    let joined = "";
    for (let n = 1; n <= 3 && at + n <= words.length && !lexical[at]; n++) {
      if (n > 1 && lexical[at + n - 1]) break;
      joined += words[at + n - 1] ?? "";
      // Split words ("пост грес", "post gress") may also carry a case ending on the last part.
      const needed = n === 1 ? 0.1 : joined.length >= 6 ? 0.8 : 0.9;
      const keys = n === 1 ? [soundKey(joined)] : keysOf(joined);
      if (n > best && joined.length >= 4 && keys.some((k) => soundMatch(k, entry.joined) >= needed)) best = n;
    }
    for (const alias of entry.aliases) {
      if (alias.length > best && alias.every((a, k) => aliasFits(words[at + k] ?? "", a)))
        best = alias.length;
    }
    return best;
  };

  const nearlyFits = (
    words: readonly string[],
    lexical: readonly boolean[],
    at: number,
    entry: ServiceEntry,
  ): boolean => {
    let near = 0;
    for (let k = 0; k < entry.parts.length; k++) {
      const word = words[at + k] ?? "";
      const part = entry.parts[k];
      if (part === undefined || word.length === 0) return false;
      if (wordFits(word, part)) continue;
      if (lexical[at + k] || isVmWord(word) || !keysOf(word).some((key) => nearMatch(key, part)))
        return false;
      near++;
    }
    return near === 1;
  };

  return {
    find(words, skip, lexical) {
      const mentions: ServiceMention[] = [];
      const used = words.map((_, i) => skip[i] === true);
      for (let i = 0; i < words.length; i++) {
        if (used[i]) continue;
        let bestLength = 0;
        let best: string[] = [];
        for (const entry of entries) {
          const length = fullMatchLength(words, lexical, i, entry);
          if (length === 0 || used.slice(i, i + length).some(Boolean)) continue;
          if (length > bestLength) {
            bestLength = length;
            best = [entry.name];
          } else if (length === bestLength) best.push(entry.name);
        }
        if (bestLength === 0) continue;
        mentions.push({ services: best, start: i, end: i + bestLength, strength: "full" });
        for (let k = i; k < i + bestLength; k++) used[k] = true;
        i += bestLength - 1;
      }
      words.forEach((word, i) => {
        if (used[i] || lexical[i]) return;
        const owners = new Set<string>();
        for (const p of partKeys) {
          if (wordFits(word, p.key) || translated(word, p.part)) for (const o of p.owners) owners.add(o);
        }
        for (const o of ofKind(word)) owners.add(o);
        if (owners.size > 0) mentions.push({ services: [...owners], start: i, end: i + 1, strength: "part" });
      });
      return mentions.sort((a, b) => a.start - b.start);
    },
  };
}

function aliasFits(word: string, alias: string): boolean {
  return word === alias || inflects(word, stemOf(alias)) || soundMatch(soundKey(word), soundKey(alias)) === 1;
}

function translated(word: string, part: string): boolean {
  return (translations[part] ?? []).some((stem) => word.startsWith(stem) && word.length - stem.length <= 4);
}
