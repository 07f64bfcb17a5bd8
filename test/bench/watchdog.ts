/**
 * Watchdog bench: a VM killed at a random moment, production timings (heartbeat 10 s, suspect at
 * 21 s of silence, indirect probe at once, 5 s grace; see edge/watchdog/watchdog-config.ts), played
 * on the injected clock with the real watchdog, the real Oracle client and the Oracle stand-in on
 * 127.0.0.1. Every alarm is delivered twice. A flaky-but-healthy control run counts false resets.
 *
 * Run: node test/bench/watchdog.ts [trials]
 */
import { createRandom } from "../watchdog/sim-clock.ts";
import { createSimWorld, instanceIdOf } from "../watchdog/sim-world.ts";

const trials = Number(process.argv[2] ?? 30);
const pick = createRandom(20260101);
const verdicts: number[] = [];
const resets: number[] = [];
let doubleResets = 0;
let falseResets = 0;
let missed = 0;

const links = [
  ["edge", "vm1"],
  ["edge", "vm2"],
  ["vm1", "vm2"],
] as const;

for (let i = 0; i < trials; i++) {
  const flaky = i % 3 === 2;
  const world = await createSimWorld({
    seed: 1000 + i,
    duplicateAlarms: true,
    jitterMs: flaky ? 2_000 : 1_000,
  });
  if (flaky) for (const [a, b] of links) world.setLoss(a, b, 0.1);
  world.start();
  await world.run(120_000 + Math.floor(pick() * 600_000));
  world.kill("vm1", "hang");
  const killedAt = world.clock.now();
  await world.run(900_000);
  const verdict = world.record.audits.find(
    (a) => a.entry.action === "watchdog.verdict" && a.entry.target === "vm1",
  );
  const reset = world.api.actions.find((a) => a.instanceId === instanceIdOf("vm1"));
  if (!verdict || !reset) missed += 1;
  else {
    verdicts.push((verdict.at - killedAt) / 1000);
    resets.push((reset.at - killedAt) / 1000);
  }
  falseResets += world.api.actions.filter((a) => a.instanceId !== instanceIdOf("vm1")).length;
  doubleResets += world.record.doubleResets;
  process.stdout.write(
    `trial ${String(i + 1).padStart(2)}${flaky ? " (10% loss)" : "           "} verdict_s=${verdicts.at(-1)?.toFixed(1)} reset_s=${resets.at(-1)?.toFixed(1)}\n`,
  );
  await world.close();
}

const controlHours = 6;
let suspicions = 0;
let suspectAlerts = 0;
for (let h = 0; h < controlHours; h++) {
  const world = await createSimWorld({ seed: 5000 + h, duplicateAlarms: true, jitterMs: 2_000 });
  for (const [a, b] of links) world.setLoss(a, b, 0.1);
  world.start();
  await world.run(3_600_000);
  falseResets += world.api.actions.length + world.record.commands.filter((c) => c.action === "reboot").length;
  doubleResets += world.record.doubleResets;
  suspicions += world.record.audits.filter((a) => a.entry.action === "watchdog.suspect").length;
  suspectAlerts += world.record.alerts.filter((a) => a.alert.key.endsWith(":suspect")).length;
  await world.close();
}

const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);
const median = (xs: number[]) => sorted(xs)[Math.floor(xs.length / 2)] ?? Number.NaN;
const worst = (xs: number[]) => sorted(xs).at(-1) ?? Number.NaN;
process.stdout.write(
  `control: ${controlHours} h of two healthy VMs with 10% loss on every link and ±2 s jitter: ${suspicions} brief suspicions (${suspectAlerts} alerted), none became a verdict\n`,
);
process.stdout.write(
  `median: verdict_s=${median(verdicts).toFixed(1)} reset_s=${median(resets).toFixed(1)} over ${verdicts.length} kills\n`,
);
process.stdout.write(
  `verdict_s=${worst(verdicts).toFixed(1)} reset_s=${worst(resets).toFixed(1)} false_resets=${falseResets} double_resets=${doubleResets}${missed ? ` missed=${missed}` : ""} (worst of ${trials} kills; target verdict ≤ 30 s, reset ≤ 35 s, 0, 0)\n`,
);
