/**
 * `npm run bench`: on loopback, the time from an API command to the sidecar's result (p50/p99 over
 * N commands) beside one `ssh 127.0.0.1 true` per command through a local sshd, and the bundled
 * sidecar's idle RSS beside a bare node process. Prints figures; asserts nothing.
 *
 * The sidecars run as deployed: the esbuild bundle from deploy/build-sidecar.js, started with the
 * node flags and Environment= lines of deploy/systemd/agent.service.in (read from the file, so the
 * bench cannot drift from the unit), by the same node binary as the bare process.
 *
 *   node test/bench/command-latency.ts [--n 1000] [--ssh-n 1000] [--idle-s 60]
 */
import { type ChildProcess, execFileSync, spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { readConfig } from "../../edge/core/config.ts";
import { startNodeHost } from "../../edge/node/server.ts";
import { repo } from "../support/child.ts";
import { freePort } from "../support/free-port.ts";
import { mb, rss, spawnSidecar, tlsFront, unitRuntime } from "./sidecar-unit.ts";

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
  const runtime = unitRuntime();
  const keys = {
    bench: "bench-sidecar-key-000001",
    idle: "idle-sidecar-key-0000001",
    "idle-tls": "tls-sidecar-key-00000001",
  };
  // The policy gate allows each API user 30 requests a minute (meant for people), so the bench's
  // commands are spread over enough admin tokens that none of them is refused; every request still
  // goes through the gate and the whole HTTP API path.
  const tokens = Array.from(
    { length: Math.ceil((N + 50) / 25) + 1 },
    (_, i) => `bench-admin-token-${String(i).padStart(6, "0")}`,
  );
  let sent = 0;
  const config = readConfig({
    VOXOPS_API_TOKENS: tokens.map((t) => `${t}:admin`).join(","),
    VOXOPS_SIDECAR_KEYS: Object.entries(keys)
      .map(([vm, key]) => `${vm}=${key}`)
      .join(","),
  });
  const host = await startNodeHost({ config, port: 0, dbPath: join(dir, "controller.db") });
  const { NODE_OPTIONS: _ignored, ...baseEnv } = process.env;
  say(
    `sidecar_runtime node=${process.version} flags="${runtime.flags.join(" ")}" env="${Object.entries(
      runtime.env,
    )
      .filter(([k]) => !k.startsWith("VOXOPS_"))
      .map(([k, v]) => `${k}=${v}`)
      .join(" ")}" (from deploy/systemd/agent.service.in)`,
  );

  // The unit's paths under /etc and /var are replaced by the bench's: no inventory file (a one-VM
  // inventory), state in the temp dir; stderr goes to a pipe as it goes to journald.
  const stderrTail = new Map<string, string>();
  /** Starts the bundle as the unit does: `node <flags> voxops-sidecar.mjs --vm NAME`, controllers and key from the environment. */
  const startSidecar = (vm: keyof typeof keys, controller: string, extraEnv: Record<string, string> = {}) => {
    const child = spawnSidecar({
      bundle: join(dir, "voxops-sidecar.mjs"),
      vm,
      key: keys[vm],
      controller,
      dir,
      env: extraEnv,
    });
    child.stderr?.on("data", (d: Buffer) => {
      stderrTail.set(vm, `${stderrTail.get(vm) ?? ""}${d.toString()}`.slice(-2000));
    });
    return child;
  };
  const waitConnected = async (vm: string): Promise<void> => {
    for (let i = 0; i < 400 && !host.controller.connected(vm); i++)
      await new Promise((r) => setTimeout(r, 25));
    if (!host.controller.connected(vm))
      throw new Error(`the ${vm} sidecar did not connect:\n${stderrTail.get(vm) ?? ""}`);
  };
  const children: ChildProcess[] = [];
  const sidecar = startSidecar("bench", host.url);
  children.push(sidecar);
  await waitConnected("bench");

  const command = async (): Promise<number> => {
    const t0 = performance.now();
    const res = await fetch(`${host.url}/agent/commands`, {
      method: "POST",
      headers: {
        authorization: `Bearer ${tokens[Math.floor(sent++ / 25)]}`,
        "content-type": "application/json",
      },
      body: JSON.stringify({ vm: "bench", action: "status" }),
    });
    const body = (await res.json()) as { ok?: boolean; results?: { outcome?: { ok?: boolean } }[] };
    if (!(body.ok ?? body.results?.[0]?.outcome?.ok))
      throw new Error(`command failed: ${JSON.stringify(body).slice(0, 200)}`);
    return performance.now() - t0;
  };
  for (let i = 0; i < 50; i++) await command();
  const api: number[] = [];
  for (let i = 0; i < N; i++) api.push(await command());
  const commandsDoneAt = Date.now();
  api.sort((a, b) => a - b);
  say(
    `api_to_result_ms p50=${fmt(quantile(api, 0.5))} p99=${fmt(quantile(api, 0.99))} max=${fmt(api[api.length - 1] ?? 0)} n=${N}`,
  );

  const ssh = await sshTimes(SSH_N);
  if (typeof ssh === "string") say(`ssh_true_ms ${ssh}`);
  else {
    ssh.sort((a, b) => a - b);
    say(`ssh_true_ms p50=${fmt(quantile(ssh, 0.5))} p99=${fmt(quantile(ssh, 0.99))} n=${SSH_N}`);
    say(
      `speedup p50=${(quantile(ssh, 0.5) / quantile(api, 0.5)).toFixed(1)}x p99=${(quantile(ssh, 0.99) / quantile(api, 0.99)).toFixed(1)}x (target >= 25x; api p99 target <= 20 ms)`,
    );
  }

  // Idle: a fresh sidecar (ws://), one over TLS when openssl is here, and a bare node, all started
  // now and measured together after IDLE_S; the sidecar that served the commands is measured too.
  const tls = await tlsFront(host.port, dir);
  const idle = startSidecar("idle", host.url);
  const idleTls =
    typeof tls === "string" ? null : startSidecar("idle-tls", tls.url, { NODE_EXTRA_CA_CERTS: tls.cert });
  const bare = spawn(process.execPath, ["-e", "setInterval(() => {}, 1000)"], {
    env: baseEnv,
    stdio: "ignore",
  });
  children.push(idle, bare, ...(idleTls ? [idleTls] : []));
  const startedAt = Date.now();
  await waitConnected("idle");
  if (idleTls) await waitConnected("idle-tls");
  await new Promise((r) => setTimeout(r, Math.max(0, IDLE_S * 1000 - (Date.now() - startedAt))));
  const fleet = host.controller.fleet();
  const seen = (vm: string): string => {
    const state = fleet.find((v) => v.vm === vm);
    return `connected=${host.controller.connected(vm)} last_heartbeat_s_ago=${state?.lastSeenAgoS ?? "never"}`;
  };
  const bareMem = rss(bare.pid ?? 0);
  const line = (label: string, child: ChildProcess, vm: string, afterS: number, note: string): void => {
    const m = rss(child.pid ?? 0);
    say(
      `${label} sidecar=${mb(m.rss)} bare_node=${mb(bareMem.rss)} ratio=${(m.rss / bareMem.rss).toFixed(2)} after_s=${afterS} ${seen(vm)} ${note}`,
    );
    say(
      `${label}_parts sidecar_file=${mb(m.file)} sidecar_anon=${mb(m.anon)} bare_file=${mb(bareMem.file)} bare_anon=${mb(bareMem.anon)}`,
    );
  };
  line("idle_rss_mb", idle, "idle", IDLE_S, "(ws:// on loopback; target ratio <= 1.25)");
  if (idleTls)
    line(
      "idle_rss_mb_tls",
      idleTls,
      "idle-tls",
      IDLE_S,
      "(wss:// through a loopback TLS front, self-signed CA via NODE_EXTRA_CA_CERTS)",
    );
  else say(`idle_rss_mb_tls ${tls}`);
  line(
    "after_commands_rss_mb",
    sidecar,
    "bench",
    Math.round((Date.now() - commandsDoneAt) / 1000),
    `(the sidecar that served ${N + 50} status commands, idle since)`,
  );

  for (const child of children) child.kill();
  if (typeof tls !== "string") tls.close();
  await host.close();
  rmSync(dir, { recursive: true, force: true });
}

await main();
