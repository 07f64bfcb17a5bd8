/**
 * End-to-end watchdog fleet for tests: the controller harness and real sidecar processes with peer
 * listeners and probers, fast timings, optionally each inside a network namespace (a command prefix).
 */

import { spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Child, repo, spawnNode } from "../support/child.ts";
import { waitFor } from "../support/wait-for.ts";

/** A fact the harness printed. */
export type Fact = {
  type: string;
  action?: string;
  target?: string;
  outcome?: string;
  detail?: string;
  vm?: string;
  url?: string;
};

/** Fast timings: 1 s heartbeats, suspect after 3 s, peer probes every second. */
export const fastEnv: Record<string, string> = {
  VOXOPS_HEARTBEAT_S: "1",
  VOXOPS_PEER_PROBE_S: "1",
  VOXOPS_PEER_ATTEMPTS: "3",
  VOXOPS_PEER_TIMEOUT_MS: "300",
  VOXOPS_QUIET: "1",
  VOXOPS_WATCHDOG_TIMINGS: JSON.stringify({
    graceMs: 1_000,
    probeTimeoutMs: 3_000,
    probeRefreshMs: 3_000,
    peerProbeIntervalMs: 1_000,
    suspectAlertAfterMs: 2_000,
    oracleRefreshMs: 3_000,
    recoveryGraceMs: 5_000,
    resendAfterMs: 3_000,
    maxSleepMs: 1_000,
  }),
};

/** Runs `prefix… node <script> args` (e.g. `ip netns exec NS`); the prefix must exec, keeping the pid. */
export function spawnPrefixed(
  prefix: string[],
  script: string,
  args: string[],
  env: Record<string, string>,
): Child {
  const [command = "", ...rest] = prefix;
  const proc = spawn(command, [...rest, process.execPath, join(repo, script), ...args], {
    cwd: repo,
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  let err = "";
  proc.stdout?.on("data", (d: Buffer) => {
    out += d.toString();
  });
  proc.stderr?.on("data", (d: Buffer) => {
    err += d.toString();
  });
  return {
    process: proc,
    stdout: () => out,
    stderr: () => err,
    async stop(signal = "SIGTERM") {
      if (proc.exitCode !== null || proc.signalCode !== null) return;
      const exited = new Promise<void>((r) => proc.once("exit", () => r()));
      proc.kill("SIGCONT");
      proc.kill(signal);
      const timer = setTimeout(() => proc.kill("SIGKILL"), 3000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Reads the harness's facts so far. */
export function facts(harness: Child): Fact[] {
  return harness
    .stdout()
    .split("\n")
    .filter((l) => l.startsWith("{"))
    .map((l) => JSON.parse(l) as Fact);
}

/** Starts the harness (through `prefix`, e.g. ip netns exec) and waits for its URL. */
export async function startHarness(
  keys: Record<string, string>,
  extra: Record<string, string>,
  prefix: string[] = [],
): Promise<{ harness: Child; url: string }> {
  const env = {
    ...fastEnv,
    ...extra,
    HARNESS_VMS: Object.keys(keys).join(","),
    VOXOPS_SIDECAR_KEYS: Object.entries(keys)
      .map(([vm, k]) => `${vm}=${k}`)
      .join(","),
  };
  const harness = prefix.length
    ? spawnPrefixed(prefix, "test/watchdog/controller-harness.ts", [], env)
    : spawnNode("test/watchdog/controller-harness.ts", [], env);
  const url = await waitFor(() => facts(harness).find((f) => f.type === "ready")?.url, {
    timeoutMs: 20_000,
    what: `the controller harness (${harness.stderr().slice(-400)})`,
  });
  return { harness, url };
}

/** Starts a real sidecar process. */
export function startSidecar(options: {
  vm: string;
  key: string;
  controllers: string[];
  listen: string;
  peers: string;
  prefix?: string[];
}): Child {
  const env = {
    ...fastEnv,
    VOXOPS_SIDECAR_KEY: options.key,
    VOXOPS_CONTROLLERS: options.controllers.join(","),
    VOXOPS_VM: options.vm,
    VOXOPS_PEER_LISTEN: options.listen,
    VOXOPS_PEERS: options.peers,
    VOXOPS_PEER_KEY: "peer-key-for-tests-0123456789",
    VOXOPS_STATE_DIR: mkdtempSync(join(tmpdir(), `voxops-${options.vm}-`)),
  };
  const args = ["sidecar", "--vm", options.vm];
  return options.prefix?.length
    ? spawnPrefixed(options.prefix, "bin/voxops.js", args, env)
    : spawnNode("bin/voxops.js", args, env);
}
