/**
 * The deterministic understanding layer: Russian or English text → the contract's intent and
 * arguments, resolved against the inventory, offline and in well under a millisecond.
 */

import type { Inventory } from "../../protocol/inventory.ts";
import type { Lang } from "../../protocol/lang.ts";
import { analyse } from "./analysis.ts";
import { chooseIntent } from "./intent-rules.ts";
import { isCyrillic, isLatin, normalize } from "./normalize.ts";
import { createServiceIndex } from "./service-index.ts";
import { fillSlots } from "./slots.ts";
import { undoSpokenForms } from "./spoken-forms.ts";
import type { Understanding } from "./understanding.ts";
import { createVmIndex } from "./vm-index.ts";

/** Options of one call. */
export interface UnderstandOptions {
  /** The language the speech was transcribed in, used when the words do not tell. */
  readonly lang?: Lang;
}

/** Understands sentences against one inventory. */
export interface Understander {
  understand(text: string, options?: UnderstandOptions): Understanding;
}

/** Longest input considered; a command is a sentence, not a document. */
const maxLength = 2000;

/** Builds an understander for an inventory (indexes are prepared once). */
export function createUnderstander(inventory: Inventory): Understander {
  const vmIndex = createVmIndex(inventory);
  const serviceIndex = createServiceIndex(inventory, vmIndex.isVmWord);
  return {
    understand(text, options = {}) {
      const normalized = normalize(text.slice(0, maxLength));
      const tokens = undoSpokenForms(normalized.tokens);
      const shell = normalized.shell;
      const a = analyse(tokens, shell, serviceIndex, vmIndex, normalized);
      const lang = detectLang(a.words, a.services, options.lang);
      const choice = chooseIntent(a);
      if (choice.intent === "unknown" || choice.intent === "help") {
        const reason = choice.intent === "unknown" ? (choice.reason ?? "no-match") : undefined;
        return {
          intent: choice.intent,
          args: {},
          lang,
          missing: [],
          candidates: {},
          ...(reason === undefined ? {} : { reason }),
          ...(choice.competing === undefined ? {} : { competing: choice.competing }),
          ...(choice.competing?.[0] === undefined
            ? {}
            : { heard: fillSlots(choice.competing[0], a, inventory).args }),
          complete: a.leftover.length === 0,
          needsLlm:
            reason === "no-match" ||
            reason === "question" ||
            reason === "ambiguous" ||
            reason === "unexplained",
        };
      }
      const slots = fillSlots(choice.intent, a, inventory);
      const why = a.questionAt < a.words.length && a.words.some((w) => w === "почему" || w === "why");
      return {
        intent: choice.intent,
        args: slots.args,
        lang,
        missing: slots.missing,
        candidates: slots.candidates,
        ...(slots.unknownService === undefined ? {} : { unknownService: slots.unknownService }),
        ...(slots.unknownVm === undefined ? {} : { unknownVm: slots.unknownVm }),
        complete: a.leftover.length === 0,
        needsLlm: choice.intent === "code" || choice.intent === "config" || why,
      };
    },
  };
}

const cache = new WeakMap<Inventory, Understander>();

/** Understands one sentence (the inventory's indexes are built on first use and kept). */
export function understand(
  text: string,
  inventory: Inventory,
  options: UnderstandOptions = {},
): Understanding {
  let understander = cache.get(inventory);
  if (understander === undefined) {
    understander = createUnderstander(inventory);
    cache.set(inventory, understander);
  }
  return understander.understand(text, options);
}

function detectLang(
  words: readonly string[],
  services: readonly { start: number; end: number }[],
  hint: Lang | undefined,
): Lang {
  // Russian commands are full of Latin names and terms ("Перезапусти grok-voice", "Добавь endpoint
  // /health в api"); English ones carry no Cyrillic. So one Cyrillic word makes the command Russian.
  if (words.some(isCyrillic)) return "ru";
  const latin = words.some((w, i) => isLatin(w) && !services.some((m) => i >= m.start && i < m.end));
  return latin ? "en" : (hint ?? "en");
}
