/**
 * `npm run bench:sidecar-rss`: the idle RSS of the bundled sidecar with the hand-written WebSocket
 * client (sidecar/ws-client.ts) and with `ws` behind the same port (sidecar/ws-library-client.ts),
 * over ws:// and wss://, beside a bare node process, against the real Node controller on loopback.
 * Prints the figures and the budget written in sidecar/ws-client.ts; asserts nothing.
 *
 *   node test/bench/sidecar-rss.ts [--idle-s 30] [--rounds 3] [--node /usr/bin/node]
 *
 * `--node` runs the sidecars (and the bare process) with another node, e.g. a VM's system Node 20.
 */
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { readConfig } from "../../edge/core/config.ts";
import { startNodeHost } from "../../edge/node/server.ts";
import { repo } from "../support/child.ts";
import { mb, rss, spawnSidecar, tlsFront } from "./sidecar-unit.ts";

const { values } = parseArgs({
  options: { "idle-s": { type: "string" }, rounds: { type: "string" }, node: { type: "string" } },
});
const NODE = values.node ?? process.execPath;
const IDLE_S = Number(values["idle-s"] ?? 30);
const ROUNDS = Number(values.rounds ?? 3);
const dir = mkdtempSync(join(tmpdir(), "voxops-sidecar-rss-"));
const say = (line: string): void => {
  process.stdout.write(`${line}\n`);
};
const median = (xs: number[]): number =>
  [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;

/** The budget as sidecar/ws-client.ts writes it: "RSS budget: ... at least N MB ...". */
function writtenBudgetMb(): number {
  const source = readFileSync(join(repo, "sidecar", "ws-client.ts"), "utf8");
  const found = /RSS budget:[\s\S]*?at least ([\d.]+) MB/.exec(source)?.[1];
  if (found === undefined) throw new Error("sidecar/ws-client.ts does not state its RSS budget");
  return Number(found);
}

const clients = ["own", "ws"] as const;
const schemes = ["ws", "wss"] as const;
type Run = `${(typeof clients)[number]}-${(typeof schemes)[number]}`;
const runs: Run[] = clients.flatMap((c) => schemes.map((s) => `${c}-${s}` as const));

async function main(): Promise<void> {
  for (const client of clients)
    execFileSync(process.execPath, [
      join(repo, "deploy", "build-sidecar.js"),
      join(dir, `sidecar-${client}.mjs`),
      "--websocket",
      client,
    ]);
  const keys = Object.fromEntries(runs.map((r) => [r, `rss-bench-key-${r}-000000`])) as Record<Run, string>;
  const config = readConfig({
    VOXOPS_API_TOKENS: "rss-bench-admin-token-00000:admin",
    VOXOPS_SIDECAR_KEYS: runs.map((r) => `${r}=${keys[r]}`).join(","),
  });
  const host = await startNodeHost({ config, port: 0, dbPath: join(dir, "controller.db") });
  const tls = await tlsFront(host.port, dir);
  if (typeof tls === "string") say(`wss ${tls}: only ws:// is measured`);
  const measured = runs.filter((r) => typeof tls !== "string" || r.endsWith("-ws"));
  const samples = new Map<Run | "bare", { rss: number; anon: number }[]>();
  const version = execFileSync(NODE, ["--version"], { encoding: "utf8" }).trim();
  say(`sidecar_runtime node=${version} idle_s=${IDLE_S} rounds=${ROUNDS}`);

  for (let round = 0; round < ROUNDS; round++) {
    const children = new Map<Run | "bare", ChildProcess>();
    const stderr = new Map<Run, string>();
    for (const run of measured) {
      const [client, scheme] = run.split("-") as [string, string];
      const child = spawnSidecar({
        bundle: join(dir, `sidecar-${client}.mjs`),
        vm: run,
        key: keys[run],
        controller: scheme === "wss" && typeof tls !== "string" ? tls.url : host.url,
        dir,
        node: NODE,
        env: typeof tls !== "string" ? { NODE_EXTRA_CA_CERTS: tls.cert } : {},
      });
      child.stderr?.on("data", (d: Buffer) => stderr.set(run, `${stderr.get(run) ?? ""}${d}`.slice(-2000)));
      children.set(run, child);
    }
    children.set("bare", spawn(NODE, ["-e", "setInterval(() => {}, 1000)"], { stdio: "ignore" }));
    const startedAt = Date.now();
    for (const run of measured) {
      for (let i = 0; i < 400 && !host.controller.connected(run); i++)
        await new Promise((r) => setTimeout(r, 25));
      if (!host.controller.connected(run))
        throw new Error(`the ${run} sidecar did not connect:\n${stderr.get(run) ?? ""}`);
    }
    await new Promise((r) => setTimeout(r, Math.max(0, IDLE_S * 1000 - (Date.now() - startedAt))));
    for (const [name, child] of children) {
      const m = rss(child.pid ?? 0);
      samples.set(name, [...(samples.get(name) ?? []), { rss: m.rss, anon: m.anon }]);
      if (name !== "bare" && !host.controller.connected(name))
        say(`warning: ${name} was not connected when measured`);
    }
    for (const child of children.values()) child.kill();
    await new Promise((r) => setTimeout(r, 500));
  }

  const rssOf = (name: Run | "bare"): number => median((samples.get(name) ?? []).map((s) => s.rss));
  const anonOf = (name: Run | "bare"): number => median((samples.get(name) ?? []).map((s) => s.anon));
  say(`bare_node rss_mb=${mb(rssOf("bare"))} anon_mb=${mb(anonOf("bare"))}`);
  for (const run of measured) {
    const [client, scheme] = run.split("-");
    say(
      `idle_rss_mb client=${client === "own" ? "hand-written" : "ws"} url=${scheme}:// rss=${mb(rssOf(run))} anon=${mb(anonOf(run))} (median of ${ROUNDS})`,
    );
  }
  const budget = writtenBudgetMb();
  for (const scheme of schemes) {
    const own = `own-${scheme}` as Run;
    const ws = `ws-${scheme}` as Run;
    if (!measured.includes(own)) continue;
    const saved = (rssOf(ws) - rssOf(own)) / 1024;
    const savedAnon = (anonOf(ws) - anonOf(own)) / 1024;
    say(
      `saving_mb url=${scheme}:// ws_minus_hand_written rss=${saved.toFixed(1)} anon=${savedAnon.toFixed(1)} budget=${budget} verdict=${saved >= budget ? "use the hand-written client" : "use ws"} (the one import line in sidecar/link.ts)`,
    );
  }
  if (typeof tls !== "string") tls.close();
  await host.close();
  rmSync(dir, { recursive: true, force: true });
}

await main();
