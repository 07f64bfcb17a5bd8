/** Matches log lines against the rules' triggers: text in, a rule id and captured facts out, nothing else. */

import type { JournalEntry } from "../adapters/journal-entry.ts";
import { ERROR_TEXT } from "../services/error-groups.ts";
import { builtInRules, type FactName, type FactReader, type Rule, UNKNOWN_RULE } from "./rules.ts";

/** What one line matched. */
export interface LineMatch {
  readonly rule: string;
  readonly facts: Partial<Record<FactName, string>>;
  readonly line: string;
}

/**
 * Longest part of a line that is matched: journald's own line limit (LineMax=48K), so an error at the
 * end of a long line is still seen, while a flood of huge lines costs no more than this each.
 */
const MAX_LINE = 48 * 1024;

/** The first specific rule whose trigger matches `text`, with its captures; null when none does. */
export function matchLine(text: string, rules: readonly Rule[] = builtInRules): LineMatch | null {
  const line = text.slice(0, MAX_LINE);
  for (const rule of rules) {
    for (const trigger of rule.triggers) {
      const m = trigger.pattern.exec(line);
      if (!m) continue;
      const facts: Partial<Record<FactName, string>> = {};
      for (const [name, group] of Object.entries(trigger.captures ?? {}) as [FactName, number][]) {
        const value = m[group];
        if (value !== undefined) facts[name] = value;
      }
      for (const [name, read] of Object.entries(trigger.read ?? {}) as [FactName, FactReader][]) {
        const value = read(line, m);
        if (value !== undefined) facts[name] ??= value;
      }
      return { rule: rule.id, facts, line };
    }
  }
  return null;
}

/** Exception class names that the error words miss (TypeError, ValueError, NullPointerException). */
const EXCEPTION_NAME = /\b[A-Z]\w*(?:Error|Exception)\b/;

/**
 * True when a line reads as an error: journal priority err or worse, error words in the text, or a
 * rule's trigger (an interpreter's "can't open file" arrives at info priority with no error word).
 */
export function looksLikeError(
  entry: Pick<JournalEntry, "priority" | "message">,
  rules: readonly Rule[] = builtInRules,
): boolean {
  const text = entry.message.slice(0, MAX_LINE);
  return (
    entry.priority <= 3 ||
    ERROR_TEXT.test(text) ||
    EXCEPTION_NAME.test(text) ||
    matchLine(text, rules) !== null
  );
}

/** What a burst of lines amounts to: the most specific rule any line matched, else unknown. */
export interface Classification {
  readonly rule: string;
  readonly facts: Partial<Record<FactName, string>>;
  /** The line that decided the rule (for unknown errors, the first error line). */
  readonly line: string;
  /** The error-looking lines of the burst, oldest first. */
  readonly errorLines: JournalEntry[];
}

/** Classifies a burst; null when no line in it looks like an error. */
export function classify(
  entries: readonly JournalEntry[],
  rules: readonly Rule[] = builtInRules,
): Classification | null {
  const errorLines = entries.filter((e) => looksLikeError(e, rules));
  if (errorLines.length === 0) return null;
  const matches = errorLines
    .map((e) => matchLine(e.message, rules))
    .filter((m): m is LineMatch => m !== null);
  if (matches.length === 0)
    return { rule: UNKNOWN_RULE, facts: {}, line: errorLines[0]?.message ?? "", errorLines };
  // Rules are ordered most specific first; within a rule, prefer the match that captured the most facts.
  const order = (id: string): number => rules.findIndex((r) => r.id === id);
  const best = [...matches].sort(
    (a, b) => order(a.rule) - order(b.rule) || Object.keys(b.facts).length - Object.keys(a.facts).length,
  )[0] as LineMatch;
  let facts = { ...best.facts };
  for (const m of matches)
    if (m.rule === best.rule) for (const [k, v] of Object.entries(m.facts)) facts[k as FactName] ??= v;
  const refine = rules.find((r) => r.id === best.rule)?.refine;
  if (refine)
    facts = refine(
      facts,
      entries.map((e) => e.message),
    );
  return { rule: best.rule, facts, line: best.line, errorLines };
}
