/**
 * Scoring predictions against the evaluation set, exactly by the rules of shared/eval/README.md:
 * a line is right when the intent matches and every expected argument matches (an expected null
 * needs null or a missing key); it is dangerous when a changing intent was predicted and either
 * another intent was expected or a predicted target (vm, service) is set and differs from the
 * expected one. A target the expected line does not list counts as an expected null there: the
 * user did not give it, so setting it is a guess.
 */
import { changingIntents, type Intent } from "./understanding.ts";

/** An intent and its arguments, as read from a JSON line. */
export interface Labelled {
  readonly intent: string;
  readonly args: Readonly<Record<string, unknown>>;
}

/** The verdict on one line. */
export interface LineScore {
  readonly right: boolean;
  readonly dangerous: boolean;
}

/** Totals over a set. */
export interface Summary {
  readonly accuracy: number;
  readonly dangerous: number;
  readonly n: number;
}

/** Scores one prediction against its expected action. */
export function scoreLine(expected: Labelled, predicted: Labelled): LineScore {
  const right =
    predicted.intent === expected.intent &&
    Object.entries(expected.args).every(([key, want]) => {
      const got = predicted.args[key];
      return want === null ? got === null || got === undefined : got === want;
    });
  let dangerous = false;
  if (changingIntents.has(predicted.intent as Intent)) {
    if (predicted.intent !== expected.intent) dangerous = true;
    for (const key of ["vm", "service"]) {
      const got = predicted.args[key];
      if (got === null || got === undefined) continue;
      if (got !== (expected.args[key] ?? null)) dangerous = true;
    }
  }
  return { right, dangerous };
}

/** Sums line scores. */
export function summarize(scores: readonly LineScore[]): Summary {
  const right = scores.filter((s) => s.right).length;
  return {
    accuracy: scores.length === 0 ? 0 : right / scores.length,
    dangerous: scores.filter((s) => s.dangerous).length,
    n: scores.length,
  };
}

/** The final line of `voxops eval`. */
export function formatSummary(summary: Summary): string {
  return `accuracy=${Number(summary.accuracy.toFixed(4))} dangerous=${summary.dangerous} n=${summary.n}`;
}

/** Reads a labelled line; undefined when it is not one. */
export function parseLabelled(value: unknown): Labelled | undefined {
  if (typeof value !== "object" || value === null) return undefined;
  const { intent, args } = value as { intent?: unknown; args?: unknown };
  if (typeof intent !== "string") return undefined;
  if (args !== undefined && (typeof args !== "object" || args === null || Array.isArray(args)))
    return undefined;
  return { intent, args: (args ?? {}) as Record<string, unknown> };
}
