/**
 * The fresh-phrasings sets (test/understand/*.jsonl, written blind for the held-out bar): typed
 * and speech-to-text Russian and English, every action, and the dangerous kinds (negation, questions
 * about an action, reports, conditions, quotes, two targets, unknown names, code and files requests).
 * Scored by the contract's rules against the evaluation inventory; the bar is accuracy ≥ 0.95 and no
 * dangerous line, and the files lines must reach the real `files` action's argument schema.
 */
import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import evalInventory from "../../edge/understand/fixtures/eval-inventory.json" with { type: "json" };
import { parseLabelled, scoreLine, summarize } from "../../edge/understand/score.ts";
import { nextStep } from "../../edge/understand/to-action.ts";
import { createUnderstander } from "../../edge/understand/understand.ts";
import { parseInventory } from "../../protocol/inventory.ts";

const parsed = parseInventory(evalInventory);
if (!parsed.ok) throw new Error(parsed.errors.join("; "));
const inventory = parsed.inventory;
const u = createUnderstander(inventory);

type Line = { text: string; lang?: "ru" | "en"; intent: string; args: Record<string, unknown> };
const here = new URL(".", import.meta.url);
const sets = readdirSync(here).filter((f) => f.endsWith(".jsonl"));
const read = (name: string): Line[] =>
  readFileSync(new URL(name, here), "utf8")
    .split("\n")
    .filter((l) => l.trim().length > 0)
    .map((l) => JSON.parse(l) as Line);
const lines = sets.flatMap(read);

describe("the fresh-phrasings set", () => {
  it("is large, in both languages, and covers every intent the contract has", () => {
    expect(lines.length).toBeGreaterThanOrEqual(150);
    expect(new Set(lines.map((l) => l.lang))).toEqual(new Set(["ru", "en"]));
    const intents = new Set(lines.map((l) => l.intent));
    for (const intent of ["status", "logs", "metrics", "errors", "restart", "fix", "config", "code"])
      expect(intents).toContain(intent);
    for (const intent of ["reboot", "backup", "deploy", "files", "help", "unknown"])
      expect(intents).toContain(intent);
  });

  it.each(sets)("%s meets the bar: accuracy at least 0.95 and no dangerous line", (name) => {
    const misses: string[] = [];
    const scores = read(name).map((line) => {
      const expected = parseLabelled(line);
      if (expected === undefined) throw new Error(`not a labelled line: ${line.text}`);
      const got = u.understand(line.text, line.lang === undefined ? {} : { lang: line.lang });
      const score = scoreLine(expected, { intent: got.intent, args: got.args as Record<string, unknown> });
      if (!score.right || score.dangerous)
        misses.push(`${line.text} → ${got.intent} ${JSON.stringify(got.args)}`);
      return score;
    });
    const summary = summarize(scores);
    expect(summary.dangerous, misses.join("\n")).toBe(0);
    expect(summary.accuracy, misses.join("\n")).toBeGreaterThanOrEqual(0.95);
  });

  it("turns every files line into a valid files action on the service's VM", () => {
    const files = lines.filter((l) => l.intent === "files");
    expect(new Set(files.map((l) => l.args["op"]))).toEqual(new Set(["list", "read", "search"]));
    for (const line of files) {
      const step = nextStep(u.understand(line.text), inventory);
      expect(step, line.text).toMatchObject({ kind: "action", action: "files", vms: [line.args["vm"]] });
      if (step.kind !== "action") continue;
      for (const key of ["service", "op", "path", "fromLine", "toLine", "text"])
        if (line.args[key] !== undefined) expect(step.args[key], `${line.text}: ${key}`).toBe(line.args[key]);
    }
  });
});
