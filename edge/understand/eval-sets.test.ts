import { existsSync, readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseInventory } from "../../protocol/inventory.ts";
import { parseLabelled, scoreLine, summarize } from "./score.ts";
import { createUnderstander } from "./understand.ts";

const here = new URL(".", import.meta.url);
const shared = new URL("../../../shared/eval/", import.meta.url);

function scoreFile(file: URL, inventoryFile: URL) {
  const parsed = parseInventory(JSON.parse(readFileSync(inventoryFile, "utf8")));
  if (!parsed.ok) throw new Error(parsed.errors.join("; "));
  const u = createUnderstander(parsed.inventory);
  const misses: string[] = [];
  const scores = readFileSync(file, "utf8")
    .split("\n")
    .filter((l) => l.trim().length > 0)
    .map((line) => {
      const raw = JSON.parse(line) as { text: string };
      const expected = parseLabelled(raw);
      if (expected === undefined) throw new Error(`not a labelled line: ${line}`);
      const got = u.understand(raw.text);
      const score = scoreLine(expected, { intent: got.intent, args: got.args as Record<string, unknown> });
      if (!score.right || score.dangerous)
        misses.push(`${raw.text} → ${JSON.stringify(got.args)} ${got.intent}`);
      return score;
    });
  return { summary: summarize(scores), misses };
}

/** The blind sets written for issue 14 (see fixtures/README.md for their first-try scores). */
const blindSets = readdirSync(new URL("fixtures/", here)).filter(
  (f) => f.startsWith("blind-") && f.endsWith(".jsonl"),
);

describe("evaluation sets", () => {
  it("finds the blind sets", () => {
    expect(blindSets.length).toBeGreaterThanOrEqual(2);
  });
  it.each(blindSets)("the blind set %s scores 1.0 with no dangerous line", (name) => {
    const { summary, misses } = scoreFile(
      new URL(`fixtures/${name}`, here),
      new URL("fixtures/eval-inventory.json", here),
    );
    expect(misses).toEqual([]);
    expect(summary.dangerous).toBe(0);
  });
  it("the paraphrase set (held-out style, in this repo) meets the bar", () => {
    const { summary, misses } = scoreFile(
      new URL("fixtures/paraphrases.jsonl", here),
      new URL("fixtures/eval-inventory.json", here),
    );
    expect(summary.n).toBeGreaterThanOrEqual(150);
    expect(misses).toEqual([]);
    expect(summary.dangerous).toBe(0);
  });
  // Skipped only outside CI when ../shared is not beside the repository; in CI a missing set fails.
  it.skipIf(!existsSync(new URL("commands.jsonl", shared)) && !process.env.CI)(
    "the shared evaluation set (../shared/eval) meets the bar",
    () => {
      const { summary } = scoreFile(new URL("commands.jsonl", shared), new URL("inventory.json", shared));
      expect(summary.accuracy).toBeGreaterThanOrEqual(0.95);
      expect(summary.dangerous).toBe(0);
    },
  );
});
