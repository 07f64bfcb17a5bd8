/**
 * Controller restarts during an accepted reboot, as test/e2e/reboot-truth.test.ts's stale-restart
 * case does them, in the reboot world with a real sidecar process: per restart, how long the sidecar
 * took to be connected again after the controller listened, how the reboot ended and whether it was
 * audited "went down" (the case wants "did not go down" and no "went down"). `--before` runs the world as it was before the fix (port
 * freed while down, silence bound 2 s from the 0.5 s heartbeat); the default is the tests' world.
 *
 * Run: node test/bench/restart-redial.ts [rounds] [--before]
 */
import { randomUUID } from "node:crypto";
import { GO_DOWN_MS, killSidecars, startRebootWorld } from "../e2e/reboot-world.ts";

const before = process.argv.includes("--before");
const rounds = Number(process.argv.slice(2).find((a) => /^\d+$/.test(a)) ?? 4);
const w = await startRebootWorld(before ? { holdPort: false, suspectAfterMs: null } : {});
const redials: number[] = [];
let wrong = 0;
try {
  w.startSidecar(randomUUID());
  await w.waitConnected(120_000);
  for (let round = 1; round <= rounds; round++) {
    const asked = await w.call("/agent/vm/reboot", { method: "POST", body: { vm: "local", lang: "en" } });
    const done = await w.call(`/agent/confirmations/${asked.body.confirmationId}`, { method: "POST" });
    const ref = String(done.body.results?.[0]?.reboot?.ref ?? "");
    await w.stopHost();
    await new Promise((r) => setTimeout(r, GO_DOWN_MS + 500));
    await w.startHost();
    const listening = Date.now();
    await w.waitConnected(120_000);
    const redial = Date.now() - listening;
    redials.push(redial);
    let end: { ref?: string; final?: boolean; stage?: string } = {};
    for (let i = 0; i < 600 && !(end.ref === ref && end.final); i++) {
      end = (await w.call("/agent/vm/reboot?vm=local&lang=en")).body;
      await new Promise((r) => setTimeout(r, 100));
    }
    const audit = (await w.call("/agent/audit?limit=500")).body.records as {
      ref?: string;
      outcome: string;
    }[];
    const down = audit.some((r) => r.ref === ref && r.outcome === "went down");
    // The stale-restart case wants "did not go down" and no "went down" in the audit.
    if (down || end.stage !== "not-down") wrong++;
    console.log(
      `restart ${round}: connected again ${redial} ms after the controller listened; reboot ended "${end.stage}"; audited "went down": ${down ? "yes" : "no"}`,
    );
    // A link up for less than the sidecar's 10 s settles keeps its backoff growing into the next round.
    await new Promise((r) => setTimeout(r, 10_500));
  }
} finally {
  await killSidecars();
  await w.close();
}
const sorted = [...redials].sort((a, b) => a - b);
console.log(
  `${before ? "before the fix" : "the tests' world"}: ${rounds} restarts, reconnect median ${sorted[Math.floor(sorted.length / 2)]} ms, max ${sorted.at(-1)} ms; the reboot ended other than "did not go down" or was audited "went down" (the case fails) in ${wrong} of ${rounds}`,
);
