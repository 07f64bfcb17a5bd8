/** The attack suite's score: every case tried, and how each ended. */

/** How one case ended: refused as it should be, accepted as it should be, or one of the failures. */
export type Verdict = "refused" | "accepted" | "crash" | "lost" | "leaked" | "wrong";

/** One case's record. */
export interface CaseResult {
  readonly group: string;
  readonly name: string;
  readonly verdict: Verdict;
  readonly note?: string;
  /** The issue-16 fault this case checks, when another branch fixes it ("body-limit", …). */
  readonly fault?: string;
}

/** Collects case results and prints the figures. */
export interface Tally {
  readonly results: CaseResult[];
  record(result: CaseResult): void;
  /** Adds `n` cases at once (the fuzzed frames), all refused or accepted correctly. */
  bulk(group: string, tried: number, refused: number): void;
  figures(): Record<"tried" | "refused_correctly" | "crashes" | "lost" | "leaked" | "wrong", number>;
}

/** Creates an empty tally. */
export function createTally(): Tally {
  const results: CaseResult[] = [];
  let bulkTried = 0;
  let bulkRefused = 0;
  const count = (v: Verdict) => results.filter((r) => r.verdict === v).length;
  return {
    results,
    record: (r) => results.push(r),
    bulk(_group, tried, refused) {
      bulkTried += tried;
      bulkRefused += refused;
    },
    figures: () => ({
      tried: results.length + bulkTried,
      refused_correctly: count("refused") + bulkRefused,
      crashes: count("crash"),
      lost: count("lost"),
      leaked: count("leaked"),
      wrong: count("wrong"),
    }),
  };
}
