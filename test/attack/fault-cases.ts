/**
 * Faults mid-command: the sidecar killed with SIGKILL while it runs a restart, and the controller
 * killed with SIGKILL while a restart runs. Nothing may be lost (the command reaches a final state
 * the operator can read) and nothing may run twice.
 */
import { call } from "./http-cases.ts";
import type { Tally } from "./tally.ts";
import type { World } from "./world.ts";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitRuns(world: World, count: number, timeoutMs: number): Promise<boolean> {
  const until = Date.now() + timeoutMs;
  while (world.runs().length < count) {
    if (Date.now() > until) return false;
    await sleep(50);
  }
  return true;
}

/** The command id the controller logged for a request (its operations line). */
function commandOf(world: World, requestId: string): string | undefined {
  for (const line of world.allOutput().split("\n")) {
    if (!line.includes(requestId) || !line.includes('"dispatched"')) continue;
    try {
      const parsed = JSON.parse(line) as { requestId?: string; commandId?: string };
      if (parsed.requestId === requestId) return parsed.commandId;
    } catch {}
  }
  return undefined;
}

async function killSidecarMidCommand(world: World, tally: Tally): Promise<void> {
  world.sidecars.vm1.child.kill("SIGKILL");
  await sleep(300);
  world.startSidecar("vm1", 3000);
  await world.waitConnected("vm1");
  const before = world.runs().length;
  const answer = call(world, "POST", "/agent/commands", {
    token: world.tokens.admin,
    body: { vm: "vm1", action: "restart", args: { service: "worker" } },
  });
  const started = await waitRuns(world, before + 1, 15_000);
  world.sidecars.vm1.child.kill("SIGKILL");
  await sleep(200);
  world.startSidecar("vm1");
  const result = await answer;
  await sleep(1000);
  const ran = world.runs().length - before;
  const text = result.text;
  tally.record({
    group: "faults",
    name: "kill -9 of the sidecar during a restart",
    ...(!started
      ? { verdict: "wrong" as const, note: "the restart never started" }
      : result.failure || (result.status >= 500 && result.status !== 502)
        ? { verdict: "lost" as const, note: result.failure ?? `${result.status} ${text.slice(0, 200)}` }
        : ran !== 1
          ? { verdict: "wrong" as const, note: `ran ${ran} times` }
          : result.status === 200
            ? { verdict: "wrong" as const, note: "reported as done although the sidecar died mid-run" }
            : {
                verdict: "accepted" as const,
                note: `${result.status}: ${String(result.json?.text ?? "").slice(0, 120)}`,
              }),
  });
  await world.waitConnected("vm1");
}

async function killControllerMidCommand(world: World, tally: Tally): Promise<void> {
  world.sidecars.vm2.child.kill("SIGKILL");
  await sleep(300);
  world.startSidecar("vm2", 3000);
  await world.waitConnected("vm2");
  const before = world.runs().length;
  const requestId = `attack-kill-${Date.now()}`;
  const answer = call(world, "POST", "/agent/commands", {
    token: world.tokens.admin,
    headers: { "x-request-id": requestId },
    body: { vm: "vm2", action: "restart", args: { service: "db" } },
  });
  const started = await waitRuns(world, before + 1, 15_000);
  const old = world.controller;
  old.child.kill("SIGKILL");
  const aborted = await answer;
  await world.startController();
  const id = commandOf(world, requestId);
  let state = "unknown";
  const until = Date.now() + 40_000;
  while (id && Date.now() < until) {
    const record = await call(world, "GET", `/agent/commands/${id}`);
    state = String(record.json?.state ?? record.status);
    if (state === "done" || state === "late" || state === "expired") break;
    await sleep(250);
  }
  await sleep(1000);
  const ran = world.runs().length - before;
  tally.record({
    group: "faults",
    name: "kill -9 of the controller during a restart",
    ...(!started
      ? { verdict: "wrong" as const, note: "the restart never started" }
      : !id
        ? { verdict: "lost" as const, note: "the controller logged no command id for the request" }
        : state !== "done" && state !== "late"
          ? { verdict: "lost" as const, note: `after the restart the command is ${state}` }
          : ran !== 1
            ? { verdict: "wrong" as const, note: `ran ${ran} times` }
            : {
                verdict: "accepted" as const,
                note: `the caller saw ${aborted.failure ? "the connection drop" : aborted.status}; the result arrived after the restart`,
              }),
  });
  world.sidecars.vm2.child.kill("SIGKILL");
  await sleep(300);
  world.startSidecar("vm2");
  await world.waitConnected("vm1");
  await world.waitConnected("vm2");
}

/** Runs the faults group. */
export async function runFaultCases(world: World, tally: Tally): Promise<void> {
  await killSidecarMidCommand(world, tally);
  await killControllerMidCommand(world, tally);
}
