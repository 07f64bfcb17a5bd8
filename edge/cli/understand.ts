/**
 * `voxops understand --inventory FILE [--explain]`: reads commands as JSON lines on stdin, writes
 * one prediction a line on stdout, in order. A line that is not a command gets an `unknown`
 * prediction: no line is skipped and the command never stops on bad input. `--explain` adds
 * `"asks": true|false` to each line (whether the desk would ask back instead of acting).
 */
import { readFileSync } from "node:fs";
import { createInterface } from "node:readline";
import { parseCommandLine } from "../../protocol/command-line.ts";
import { parseInventory } from "../../protocol/inventory.ts";
import type { Lang } from "../core/desk.ts";
import { createUnderstander } from "../understand/understand.ts";
import { asksBack } from "../understand/understanding.ts";

const unknownLine = `${JSON.stringify({ intent: "unknown", args: {} })}\n`;

const commandLine = {
  name: "understand",
  help: `usage: voxops understand --inventory FILE [--explain] < commands.jsonl
  Reads commands as JSON lines ({"text": "...", "lang": "ru"|"en"}) on stdin and writes one typed
  action a line ({"intent": ..., "args": ...}) on stdout, offline. A line that is not a command
  gets {"intent": "unknown"}.

  --inventory FILE   the inventory the commands are understood against (required)
  --explain          add "asks": true|false (whether voxops would ask back instead of acting)`,
  options: { inventory: { type: "string" }, explain: { type: "boolean" } },
} as const;

/** Runs the command; returns the exit code. */
export async function main(argv: string[]): Promise<number> {
  const line = parseCommandLine(commandLine, argv);
  if (!line.run) return line.exitCode;
  const file = line.values.inventory;
  if (file === undefined) {
    process.stderr.write(
      'voxops understand: --inventory FILE is required. Run "voxops understand --help" for its options.\n',
    );
    return 2;
  }
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, "utf8"));
  } catch (error) {
    process.stderr.write(`voxops understand: cannot read ${file}: ${(error as Error).message}\n`);
    return 2;
  }
  const parsed = parseInventory(raw);
  if (!parsed.ok) {
    process.stderr.write(
      `voxops understand: ${file} is not a valid inventory:\n  ${parsed.errors.join("\n  ")}\n`,
    );
    return 2;
  }
  const understander = createUnderstander(parsed.inventory);
  const explain = line.values.explain === true;
  const lines = createInterface({ input: process.stdin, crlfDelay: Number.POSITIVE_INFINITY });
  for await (const line of lines) {
    process.stdout.write(predict(line, understander, explain));
  }
  return 0;
}

function predict(
  line: string,
  understander: ReturnType<typeof createUnderstander>,
  explain: boolean,
): string {
  try {
    const value: unknown = JSON.parse(line);
    if (typeof value !== "object" || value === null) return unknownLine;
    const { text, lang } = value as { text?: unknown; lang?: unknown };
    if (typeof text !== "string") return unknownLine;
    const hint: Lang | undefined = lang === "ru" || lang === "en" ? lang : undefined;
    const u = understander.understand(text, hint === undefined ? {} : { lang: hint });
    const prediction = { intent: u.intent, args: u.args, ...(explain ? { asks: asksBack(u) } : {}) };
    return `${JSON.stringify(prediction)}\n`;
  } catch {
    return unknownLine;
  }
}
