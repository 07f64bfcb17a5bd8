/**
 * Secrets in every place they could show: every process's log output, the audit, every answer to
 * Telegram, every request to the LLM, and the environment of the local run's sidecar (which needs
 * only its own key).
 */
import { type ChildProcess, spawn } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { repo } from "../support/child.ts";
import { freePort } from "../support/free-port.ts";
import { call } from "./http-cases.ts";
import type { Tally } from "./tally.ts";
import type { World } from "./world.ts";

function check(tally: Tally, world: World, place: string, text: string): void {
  const names = [
    "admin token",
    "second admin token",
    "operator token",
    "viewer token",
    "vm1 key",
    "vm2 key",
    "vm3 key",
    "vm4 key",
    "webhook secret",
    "LLM key",
    "bot token",
  ];
  world.secrets.forEach((secret, i) => {
    const found = text.includes(secret);
    tally.record({
      group: "secrets",
      name: `${names[i] ?? `secret ${i}`} in ${place}`,
      ...(found ? { verdict: "leaked" as const, note: place } : { verdict: "refused" as const }),
    });
  });
}

/** The children of a process, from /proc. */
function childrenOf(pid: number): number[] {
  return readdirSync("/proc")
    .filter((d) => /^\d+$/.test(d))
    .filter((d) => {
      try {
        const stat = readFileSync(`/proc/${d}/stat`, "utf8");
        return Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]) === pid;
      } catch {
        return false;
      }
    })
    .map(Number);
}

/** `voxops start` with every kind of secret in its environment: what does its sidecar inherit? */
async function localRunEnvironment(world: World, tally: Tally): Promise<void> {
  const port = await freePort();
  const planted = {
    TELEGRAM_BOT_TOKEN: `123:${crypto.randomUUID()}`,
    TELEGRAM_WEBHOOK_SECRET: crypto.randomUUID(),
    LLM_API_KEY: `sk-${crypto.randomUUID()}`,
    VOXOPS_API_TOKENS: `${crypto.randomUUID()}:admin`,
    VOXOPS_SIDECAR_KEYS: `vm9=${crypto.randomUUID()}`,
    OCI_PRIVATE_KEY: `-----BEGIN PRIVATE KEY-----${crypto.randomUUID()}`,
    STT_API_KEY: crypto.randomUUID(),
  };
  let child: ChildProcess | undefined;
  try {
    child = spawn(process.execPath, [join(repo, "bin", "voxops.js"), "start"], {
      cwd: world.dir,
      env: {
        PATH: process.env.PATH ?? "",
        HOME: world.dir,
        PORT: String(port),
        VOXOPS_HOME: join(world.dir, "local-run"),
        VOXOPS_QUIET: "1",
        TELEGRAM_API_ROOT: world.telegram.apiRoot,
        TELEGRAM_ADMINS: "1",
        ...planted,
      },
      stdio: "ignore",
    });
    let sidecarPid: number | undefined;
    const until = Date.now() + 30_000;
    while (!sidecarPid && Date.now() < until) {
      sidecarPid = childrenOf(child.pid ?? -1).find((pid) => {
        try {
          return readFileSync(`/proc/${pid}/cmdline`, "utf8").includes("sidecar");
        } catch {
          return false;
        }
      });
      if (!sidecarPid) await new Promise((r) => setTimeout(r, 200));
    }
    const environ = sidecarPid ? readFileSync(`/proc/${sidecarPid}/environ`, "utf8") : "";
    for (const [name, value] of Object.entries(planted))
      tally.record({
        group: "secrets",
        name: `${name} in the local run's sidecar environment`,
        fault: "env-scrub",
        ...(!sidecarPid
          ? { verdict: "wrong" as const, note: "the local run started no sidecar" }
          : environ.includes(value.split(":").at(-1) ?? value)
            ? { verdict: "leaked" as const, note: "inherited by the sidecar" }
            : { verdict: "refused" as const }),
      });
  } finally {
    const children = child?.pid ? childrenOf(child.pid) : [];
    child?.kill("SIGKILL");
    for (const pid of children) process.kill(pid, "SIGKILL");
  }
}

/** Runs the secrets group (last, so it sees everything the other groups caused). */
export async function runSecretCases(world: World, tally: Tally): Promise<void> {
  await new Promise((r) => setTimeout(r, 1000));
  check(tally, world, "the logs of every process", world.allOutput());
  const audit = await call(world, "GET", "/agent/audit?limit=1000");
  check(tally, world, "the audit", audit.text);
  const sent = world.telegram.calls.map((c) => JSON.stringify(c.params)).join("\n");
  check(tally, world, "what was sent to Telegram", sent);
  const toLlm = world.llm.received.map((r) => JSON.stringify(r.body)).join("\n");
  check(tally, world, "what was sent to the LLM", toLlm);
  await localRunEnvironment(world, tally);
}
