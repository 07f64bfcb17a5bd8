/**
 * Prints how long the deterministic understanding layer takes per command, over the shared
 * evaluation set and the paraphrase set: `npx node test/bench/understand-latency.ts`.
 * A script to read, not a timed test.
 */
import { existsSync, readFileSync } from "node:fs";
import { createUnderstander } from "../../edge/understand/understand.ts";
import { parseInventory } from "../../protocol/inventory.ts";

const root = new URL("../../", import.meta.url);
const inventoryRaw: unknown = JSON.parse(
  readFileSync(new URL("edge/understand/fixtures/eval-inventory.json", root), "utf8"),
);
const parsed = parseInventory(inventoryRaw);
if (!parsed.ok) throw new Error(parsed.errors.join("; "));
const files = [
  new URL("../shared/eval/commands.jsonl", root),
  new URL("edge/understand/fixtures/paraphrases.jsonl", root),
].filter((f) => existsSync(f));
const texts = files.flatMap((f) =>
  readFileSync(f, "utf8")
    .split("\n")
    .filter((l) => l.trim().length > 0)
    .map((l) => (JSON.parse(l) as { text: string }).text),
);

const buildStart = performance.now();
const understander = createUnderstander(parsed.inventory);
const buildMs = performance.now() - buildStart;

for (let i = 0; i < 3; i++) for (const t of texts) understander.understand(t); // warm up
const rounds = 50;
const samples: number[] = [];
for (let r = 0; r < rounds; r++) {
  for (const t of texts) {
    const start = performance.now();
    understander.understand(t);
    samples.push(performance.now() - start);
  }
}
samples.sort((a, b) => a - b);
const us = (ms: number) => `${(ms * 1000).toFixed(1)} µs`;
const mean = samples.reduce((s, x) => s + x, 0) / samples.length;
const at = (q: number) => samples[Math.min(samples.length - 1, Math.floor(q * samples.length))] ?? 0;
process.stdout.write(
  `understand: ${texts.length} commands × ${rounds} rounds; index build ${us(buildMs)}\n` +
    `per command: mean ${us(mean)}  p50 ${us(at(0.5))}  p99 ${us(at(0.99))}  max ${us(at(1))}\n`,
);
