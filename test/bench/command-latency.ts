/**
 * `npm run bench`: on loopback, the time from an API command to the sidecar's result (p50/p99 over
 * N commands) beside one `ssh 127.0.0.1 true` per command through a local sshd, and the bundled
 * sidecar's idle RSS beside a bare node process. Prints figures; asserts nothing.
 *
 *   node test/bench/command-latency.ts [--n 1000] [--ssh-n 1000] [--idle-s 60]
 */
import { execFileSync, spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { readConfig } from "../../edge/core/config.ts";
import { startNodeHost } from "../../edge/node/server.ts";
import { repo } from "../support/child.ts";

const { values } = parseArgs({
  options: { n: { type: "string" }, "ssh-n": { type: "string" }, "idle-s": { type: "string" } },
});
const N = Number(values.n ?? 1000);
const SSH_N = Number(values["ssh-n"] ?? N);
const IDLE_S = Number(values["idle-s"] ?? 60);
const dir = mkdtempSync(join(tmpdir(), "voxops-bench-"));
const say = (line: string): void => {
  process.stdout.write(`${line}\n`);
};

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
}
const fmt = (ms: number): string => ms.toFixed(2);

function rssKb(pid: number): number {
  const m = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  return Number(m?.[1] ?? 0);
}

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, "127.0.0.1", () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

async function sshTimes(n: number): Promise<number[] | string> {
  if (!existsSync("/usr/sbin/sshd") || spawnSync("which", ["ssh"]).status !== 0)
    return "unavailable (install openssh-server and openssh-client)";
  const port = await freePort();
  const d = join(dir, "ssh");
  mkdirSync(d, { mode: 0o700 });
  mkdirSync("/run/sshd", { recursive: true });
  execFileSync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", join(d, "host_key")]);
  execFileSync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", join(d, "user_key")]);
  writeFileSync(join(d, "authorized_keys"), readFileSync(join(d, "user_key.pub")), { mode: 0o600 });
  writeFileSync(
    join(d, "sshd_config"),
    [
      `Port ${port}`,
      "ListenAddress 127.0.0.1",
      `HostKey ${join(d, "host_key")}`,
      `AuthorizedKeysFile ${join(d, "authorized_keys")}`,
      `PidFile ${join(d, "sshd.pid")}`,
      "PasswordAuthentication no",
      "KbdInteractiveAuthentication no",
      "PubkeyAuthentication yes",
      "PermitRootLogin prohibit-password",
      "StrictModes no",
      "UsePAM no",
      "",
    ].join("\n"),
  );
  const sshd = spawn("/usr/sbin/sshd", ["-D", "-e", "-f", join(d, "sshd_config")], { stdio: "ignore" });
  await new Promise((r) => setTimeout(r, 500));
  const args = [
    "-p",
    String(port),
    "-i",
    join(d, "user_key"),
    "-o",
    "StrictHostKeyChecking=no",
    "-o",
    "UserKnownHostsFile=/dev/null",
    "-o",
    "BatchMode=yes",
    "-o",
    "LogLevel=ERROR",
    "127.0.0.1",
    "true",
  ];
  const probe = spawnSync("ssh", args, { encoding: "utf8" });
  if (probe.status !== 0) {
    sshd.kill();
    return `unavailable (ssh to the local sshd failed: ${probe.stderr.trim().slice(0, 200)})`;
  }
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    spawnSync("ssh", args);
    times.push(performance.now() - t0);
  }
  sshd.kill();
  return times;
}

async function main(): Promise<void> {
  execFileSync(process.execPath, [join(repo, "deploy", "build-sidecar.js"), join(dir, "voxops-sidecar.mjs")]);
  const key = "bench-sidecar-key-000001";
  const token = "bench-admin-token-000001";
  const config = readConfig({ VOXOPS_API_TOKENS: `${token}:admin`, VOXOPS_SIDECAR_KEYS: `bench=${key}` });
  const host = await startNodeHost({ config, port: 0, dbPath: join(dir, "controller.db") });
  const startSidecar = () =>
    spawn(
      process.execPath,
      [
        join(dir, "voxops-sidecar.mjs"),
        "--controller",
        host.url,
        "--vm",
        "bench",
        "--state-dir",
        join(dir, `state-${Date.now()}`),
      ],
      {
        env: { ...process.env, VOXOPS_SIDECAR_KEY: key, VOXOPS_QUIET: "1" },
        stdio: "ignore",
      },
    );
  const sidecar = startSidecar();
  for (let i = 0; i < 200 && !host.controller.connected("bench"); i++)
    await new Promise((r) => setTimeout(r, 25));
  if (!host.controller.connected("bench")) throw new Error("the sidecar did not connect");

  const command = async (): Promise<number> => {
    const t0 = performance.now();
    const res = await fetch(`${host.url}/agent/commands`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify({ vm: "bench", action: "status" }),
    });
    const body = (await res.json()) as { ok?: boolean };
    if (!body.ok) throw new Error(`command failed: ${JSON.stringify(body).slice(0, 200)}`);
    return performance.now() - t0;
  };
  for (let i = 0; i < 50; i++) await command();
  const api: number[] = [];
  for (let i = 0; i < N; i++) api.push(await command());
  api.sort((a, b) => a - b);
  say(
    `api_to_result_ms p50=${fmt(quantile(api, 0.5))} p99=${fmt(quantile(api, 0.99))} max=${fmt(api[api.length - 1] ?? 0)} n=${N}`,
  );
  sidecar.kill();

  const ssh = await sshTimes(SSH_N);
  if (typeof ssh === "string") say(`ssh_true_ms ${ssh}`);
  else {
    ssh.sort((a, b) => a - b);
    say(`ssh_true_ms p50=${fmt(quantile(ssh, 0.5))} p99=${fmt(quantile(ssh, 0.99))} n=${SSH_N}`);
    say(
      `speedup p50=${(quantile(ssh, 0.5) / quantile(api, 0.5)).toFixed(1)}x p99=${(quantile(ssh, 0.99) / quantile(api, 0.99)).toFixed(1)}x (target >= 25x; api p99 target <= 20 ms)`,
    );
  }

  const idle = startSidecar();
  const bare = spawn(process.execPath, ["-e", "setInterval(() => {}, 1000)"], { stdio: "ignore" });
  await new Promise((r) => setTimeout(r, IDLE_S * 1000));
  const connected = host.controller.connected("bench");
  const sidecarKb = rssKb(idle.pid ?? 0);
  const bareKb = rssKb(bare.pid ?? 0);
  say(
    `idle_rss_mb sidecar=${(sidecarKb / 1024).toFixed(1)} bare_node=${(bareKb / 1024).toFixed(1)} ratio=${(sidecarKb / bareKb).toFixed(2)} after_s=${IDLE_S} connected=${connected} (target ratio <= 1.25)`,
  );
  idle.kill();
  bare.kill();
  await host.close();
  rmSync(dir, { recursive: true, force: true });
}

await main();
