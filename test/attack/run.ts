/**
 * `npm run attack`: the security and fault suite against real processes on 127.0.0.1 — auth,
 * roles, input, confirmations, the sidecar protocol (10,000 fuzzed frames), Telegram, kill -9 of a
 * sidecar and of the controller mid-command, secrets in every place, hostile LLM tool calls. Prints
 * each case that did not end as it should, then its figures as the last line:
 *   tried= refused_correctly= crashes= lost= leaked=
 *
 *   node test/attack/run.ts [--frames 10000] [--json FILE]
 */
import { writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { runBackupCases } from "./backup-cases.ts";
import { runFaultCases } from "./fault-cases.ts";
import { runHttpCases } from "./http-cases.ts";
import { runLlmCases } from "./llm-cases.ts";
import { runSecretCases } from "./secret-cases.ts";
import { runSidecarCases } from "./sidecar-cases.ts";
import { createTally } from "./tally.ts";
import { runTelegramCases, runWebhookHangCases } from "./telegram-cases.ts";
import { startWorld } from "./world.ts";

const { values } = parseArgs({ options: { frames: { type: "string" }, json: { type: "string" } } });
const say = (line: string) => process.stdout.write(`${line}\n`);
const tally = createTally();
const started = Date.now();
const world = await startWorld();
const groups: [string, () => Promise<void>][] = [
  ["HTTPS API (auth, roles, input, confirmations)", () => runHttpCases(world, tally)],
  ["sidecar protocol", () => runSidecarCases(world, tally, Number(values.frames ?? 10_000))],
  ["Telegram webhook", () => runTelegramCases(world, tally)],
  ["Telegram webhook with the Bot API silent", () => runWebhookHangCases(world, tally)],
  ["hostile LLM tool calls", () => runLlmCases(world, tally)],
  ["faults (kill -9)", () => runFaultCases(world, tally)],
  ["secrets in backups", () => runBackupCases(world, tally)],
  ["secrets", () => runSecretCases(world, tally)],
];
try {
  for (const [name, run] of groups) {
    const t0 = Date.now();
    const n = tally.figures().tried;
    try {
      await run();
    } catch (error) {
      tally.record({
        group: name,
        name: "the group itself",
        verdict: "crash",
        note: String(error).slice(0, 500),
      });
    }
    say(`${name}: ${tally.figures().tried - n} cases in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  }
  const alive = world.controller.child.exitCode === null && world.controller.child.signalCode === null;
  tally.record({
    group: "end",
    name: "the controller is still running",
    verdict: alive ? "accepted" : "crash",
  });
} finally {
  await world.close();
}
const bad = tally.results.filter((r) => r.verdict !== "refused" && r.verdict !== "accepted");
for (const r of bad)
  say(
    `${r.verdict.toUpperCase()} [${r.group}] ${r.name}${r.fault ? ` (fault: ${r.fault})` : ""}${r.note ? ` — ${r.note}` : ""}`,
  );
if (values.json)
  writeFileSync(values.json, JSON.stringify({ figures: tally.figures(), results: tally.results }, null, 1));
const f = tally.figures();
say(`wrong=${f.wrong} seconds=${((Date.now() - started) / 1000).toFixed(0)}`);
say(
  `tried=${f.tried} refused_correctly=${f.refused_correctly} crashes=${f.crashes} lost=${f.lost} leaked=${f.leaked}`,
);
