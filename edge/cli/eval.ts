/**
 * `voxops eval [--file F] [--inventory F]`: runs `voxops understand` over an evaluation set as a
 * child process (the contract as an outsider sees it), scores it by shared/eval/README.md, prints
 * each mismatch to stderr and on stdout how often it acted and asked back (`changing_fired=…
 * questions=… clear_asked=…`), then, last, `accuracy=… dangerous=… n=…`. Exits 1 below the bar
 * (accuracy 0.95, dangerous 0, at most 5 % of clear commands turned into questions). Without
 * `--file`, the repository's own fresh-phrasings sets (test/understand/*.jsonl) are scored first,
 * each under a heading, and the shared set's figures stay the last line.
 */
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseCommandLine } from "../../protocol/command-line.ts";
import {
  formatSummary,
  type Labelled,
  type LineScore,
  parseLabelled,
  scoreLine,
  summarize,
} from "../understand/score.ts";
import { changingIntents, type Intent } from "../understand/understanding.ts";

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
const sharedEval = join(repoRoot, "..", "shared", "eval");
/** The repository's own sets (test/understand/*.jsonl), scored before the shared one when no --file is given. */
const ownSets = {
  dir: join(repoRoot, "test", "understand"),
  inventory: join(repoRoot, "edge", "understand", "fixtures", "eval-inventory.json"),
};

const commandLine = {
  name: "eval",
  help: `usage: voxops eval [--file FILE] [--inventory FILE]   (npm run eval)
  Runs "voxops understand" over a labelled evaluation set, prints each mismatch on stderr and, last on
  stdout, accuracy=... dangerous=... n=...; exits 1 below accuracy 0.95 or with any dangerous line.

  --file FILE        the labelled commands (default ../shared/eval/commands.jsonl)
  --inventory FILE   the inventory (default ../shared/eval/inventory.json)`,
  options: { file: { type: "string" }, inventory: { type: "string" } },
} as const;

/** Runs the command; returns the exit code. */
export async function main(argv: string[]): Promise<number> {
  const line = parseCommandLine(commandLine, argv);
  if (!line.run) return line.exitCode;
  const file = resolve(line.values.file ?? join(sharedEval, "commands.jsonl"));
  const inventory = resolve(line.values.inventory ?? join(sharedEval, "inventory.json"));
  let ownPassed = true;
  if (line.values.file === undefined && existsSync(ownSets.dir)) {
    for (const name of readdirSync(ownSets.dir)
      .filter((f) => f.endsWith(".jsonl"))
      .sort()) {
      const own = join(ownSets.dir, name);
      process.stdout.write(`${relative(process.cwd(), own)}:\n`);
      if (scoreSet(own, ownSets.inventory) !== 0) ownPassed = false;
    }
    process.stdout.write(`${relative(process.cwd(), file)}:\n`);
  }
  const status = scoreSet(file, inventory);
  return status === 0 && !ownPassed ? 1 : status;
}

/** Scores one labelled file against one inventory; returns the exit code. */
function scoreSet(file: string, inventory: string): number {
  for (const f of [file, inventory]) {
    if (!existsSync(f)) {
      process.stderr.write(`voxops eval: ${f} does not exist\n`);
      return 2;
    }
  }
  const input = readFileSync(file, "utf8");
  const run = spawnSync(
    process.execPath,
    [join(repoRoot, "bin", "voxops.js"), "understand", "--inventory", inventory, "--explain"],
    { input, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 },
  );
  if (run.status !== 0) {
    process.stderr.write(`voxops eval: understand failed (exit ${run.status}): ${run.stderr}\n`);
    return 2;
  }
  const inputLines = input.endsWith("\n") ? input.slice(0, -1).split("\n") : input.split("\n");
  const predictions = run.stdout.split("\n").filter((l) => l.length > 0);
  if (predictions.length !== inputLines.length) {
    process.stderr.write(`voxops eval: ${predictions.length} predictions for ${inputLines.length} lines\n`);
  }
  const scores: LineScore[] = [];
  const asking = { fired: 0, questions: 0, clear: 0, clearAsked: 0 };
  inputLines.forEach((line, i) => {
    if (line.trim().length === 0) return;
    let expectedRaw: unknown;
    try {
      expectedRaw = JSON.parse(line);
    } catch {
      process.stderr.write(`line ${i + 1}: not JSON, skipped\n`);
      return;
    }
    const expected = parseLabelled(expectedRaw);
    if (expected === undefined) {
      process.stderr.write(`line ${i + 1}: no expected intent, skipped\n`);
      return;
    }
    let predictedRaw: unknown;
    try {
      predictedRaw = JSON.parse(predictions[i] ?? "null");
    } catch {
      predictedRaw = null;
    }
    const predicted = parseLabelled(predictedRaw) ?? { intent: "(none)", args: {} };
    const asks = (predictedRaw as { asks?: unknown } | null)?.asks === true;
    const score = scoreLine(expected, predicted);
    if (asks) asking.questions++;
    else if (changingIntents.has(predicted.intent as Intent)) asking.fired++;
    if (isClear(expectedRaw, expected)) {
      asking.clear++;
      if (asks) {
        asking.clearAsked++;
        process.stderr.write(`asked back on a clear command, line ${i + 1}\n`);
      }
    }
    scores.push(score);
    if (!score.right || score.dangerous) {
      const text = (expectedRaw as { text?: unknown }).text;
      process.stderr.write(
        `${score.dangerous ? "DANGEROUS " : ""}line ${i + 1}: ${JSON.stringify(text)}\n` +
          `  expected ${JSON.stringify({ intent: expected.intent, args: expected.args })}\n` +
          `  got      ${JSON.stringify(predicted)}\n`,
      );
    }
  });
  const summary = summarize(scores);
  const clearShare = asking.clear === 0 ? 0 : asking.clearAsked / asking.clear;
  process.stdout.write(
    `changing_fired=${asking.fired} questions=${asking.questions} ` +
      `clear_asked=${asking.clearAsked}/${asking.clear} (${(clearShare * 100).toFixed(1)}%)\n`,
  );
  process.stdout.write(`${formatSummary(summary)}\n`);
  return summary.accuracy >= 0.95 && summary.dangerous === 0 && clearShare <= 0.05 ? 0 : 1;
}

/** A clear command: an intent the agent acts on, every target given, and not marked as one to ask about. */
function isClear(raw: unknown, expected: Labelled): boolean {
  if ((raw as { ask?: unknown }).ask === true) return false;
  if (expected.intent === "unknown" || expected.intent === "help") return false;
  return Object.values(expected.args).every((v) => v !== null);
}
