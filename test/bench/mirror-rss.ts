/**
 * `npm run bench:mirror`: the Fly mirror's idle memory, run as the image runs it (the esbuild bundle
 * from deploy/build-mirror.js) beside running the .ts sources through Node's type stripping
 * (`node bin/voxops.js mirror`). Both on the same node binary, same settings, each left idle for the
 * same time after it answers /healthz; RSS sampled from /proc. Prints figures; asserts nothing.
 *
 *   node test/bench/mirror-rss.ts [--idle-s 10] [--runs 3]
 */
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { repo } from "../support/child.ts";
import { freePort } from "../support/free-port.ts";

const { values } = parseArgs({ options: { "idle-s": { type: "string" }, runs: { type: "string" } } });
const IDLE_S = Number(values["idle-s"] ?? 10);
const RUNS = Number(values.runs ?? 3);
mkdirSync("/var/tmp", { recursive: true });
const dir = mkdtempSync("/var/tmp/voxops-mirror-rss-");
const say = (line: string): void => {
  process.stdout.write(`${line}\n`);
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function rssKb(pid: number): number {
  return Number(/^VmRSS:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? Number.NaN);
}

async function idleRss(label: string, args: string[]): Promise<number[]> {
  const samples: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    const port = await freePort();
    const child: ChildProcess = spawn(process.execPath, args, {
      cwd: dir,
      env: {
        PATH: process.env.PATH ?? "",
        NODE_ENV: "production",
        PORT: String(port),
        VOXOPS_LISTEN_HOST: "127.0.0.1",
        VOXOPS_DB: join(dir, `${label}-${run}.db`),
        VOXOPS_API_TOKENS: "bench-admin-token-000001:admin",
        VOXOPS_SIDECAR_KEYS: "vm1=bench-key-of-vm1-00001,vm2=bench-key-of-vm2-00002",
        VOXOPS_QUIET: "1",
      },
      stdio: "ignore",
    });
    try {
      const until = Date.now() + 20_000;
      for (;;) {
        const ok = await fetch(`http://127.0.0.1:${port}/healthz`).then(
          (r) => r.ok,
          () => false,
        );
        if (ok) break;
        if (Date.now() > until) throw new Error(`${label}: the mirror did not answer /healthz in 20 s`);
        await sleep(100);
      }
      await sleep(IDLE_S * 1000);
      samples.push(rssKb(child.pid ?? 0));
    } finally {
      child.kill("SIGKILL");
    }
  }
  return samples;
}

const bundle = join(dir, "voxops-mirror.mjs");
execFileSync(process.execPath, [join(repo, "deploy", "build-mirror.js"), bundle], { stdio: "ignore" });
const mb = (kb: number) => (kb / 1024).toFixed(1);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;
const bundleKb = statSync(bundle).size / 1024;
const bundled = await idleRss("bundled", [bundle, "mirror"]);
const sources = await idleRss("sources", [join(repo, "bin", "voxops.js"), "mirror"]);
rmSync(dir, { recursive: true, force: true });
say(`node ${process.version}, idle ${IDLE_S} s after /healthz answers, ${RUNS} runs each`);
say(`mirror_bundle_kb=${bundleKb.toFixed(0)}`);
say(`mirror_idle_rss_bundled_mb=${mb(median(bundled))} (runs: ${bundled.map(mb).join(", ")})`);
say(`mirror_idle_rss_sources_mb=${mb(median(sources))} (runs: ${sources.map(mb).join(", ")})`);
