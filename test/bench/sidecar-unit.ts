/**
 * What the benchmarks need to run and measure a sidecar as deployed: the systemd unit's node flags
 * and environment, and a process's resident memory.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdirSync, readFileSync } from "node:fs";
import { connect as tcpConnect } from "node:net";
import { join } from "node:path";
import { createServer as createTlsServer } from "node:tls";
import { repo } from "../support/child.ts";
import { makeLoopbackCert } from "../support/loopback-cert.ts";

/** RSS and its parts (kB) from /proc/PID/smaps_rollup: file-backed pages (mostly the node binary) and anonymous memory. */
export function rss(pid: number): { rss: number; file: number; anon: number } {
  const text = readFileSync(`/proc/${pid}/smaps_rollup`, "utf8");
  const field = (name: string): number => Number(new RegExp(`^${name}:\\s+(\\d+)`, "m").exec(text)?.[1] ?? 0);
  return { rss: field("Rss"), file: field("Rss") - field("Anonymous"), anon: field("Anonymous") };
}
/** Kilobytes as megabytes with one decimal. */
export const mb = (kb: number): string => (kb / 1024).toFixed(1);

/** The node flags and environment that the systemd unit template gives the sidecar. */
export function unitRuntime(): { flags: string[]; env: Record<string, string> } {
  const unit = readFileSync(join(repo, "deploy", "systemd", "agent.service.in"), "utf8");
  const env: Record<string, string> = {};
  for (const [, value] of unit.matchAll(/^Environment=(.*)$/gm))
    for (const [, k, v] of (value ?? "").matchAll(/"?([A-Za-z_][A-Za-z0-9_]*)=([^"\s]*)"?/g))
      if (k !== undefined) env[k] = v ?? "";
  const exec = /^ExecStart=(.*)$/m.exec(unit)?.[1]?.trim().split(/\s+/) ?? [];
  let i = exec[0]?.endsWith("/env") ? 1 : 0;
  for (; exec[i]?.includes("="); i++) {
    const [k, ...v] = (exec[i] ?? "").split("=");
    if (k) env[k] = v.join("=");
  }
  const bundleAt = exec.findIndex((a) => a.endsWith("voxops-sidecar.mjs"));
  // The unit template names the node binary @NODE@; the installer writes the absolute path.
  if ((exec[i] !== "node" && exec[i] !== "@NODE@") || bundleAt < 0)
    throw new Error(`unexpected ExecStart in the unit: ${exec.join(" ")}`);
  return { flags: exec.slice(i + 1, bundleAt), env };
}

/** A loopback TLS endpoint in front of the controller, with a self-signed certificate for 127.0.0.1. */
export async function tlsFront(
  target: number,
  dir: string,
): Promise<{ url: string; cert: string; close: () => void } | string> {
  const d = join(dir, "tls");
  mkdirSync(d);
  const made = makeLoopbackCert(d);
  if (!made.ok) return `unavailable (${made.problem})`;
  const server = createTlsServer({ cert: made.cert, key: made.key }, (socket) => {
    const upstream = tcpConnect(target, "127.0.0.1");
    socket.pipe(upstream).pipe(socket);
    socket.on("error", () => upstream.destroy());
    upstream.on("error", () => socket.destroy());
  });
  const port = await new Promise<number>((resolve) =>
    server.listen(0, "127.0.0.1", () => resolve((server.address() as { port: number }).port)),
  );
  return { url: `https://127.0.0.1:${port}`, cert: join(d, "cert.pem"), close: () => server.close() };
}

/** How to start one bundled sidecar as its unit does. */
export interface SidecarStart {
  readonly bundle: string;
  readonly vm: string;
  readonly key: string;
  readonly controller: string;
  /** Holds the sidecar's state directory. */
  readonly dir: string;
  readonly env?: Record<string, string>;
  /** The node binary (default: the one running the bench). */
  readonly node?: string;
}

/**
 * Starts the bundle as the unit does: `node <flags> voxops-sidecar.mjs --vm NAME`, controllers and key
 * from the environment, no inventory file (a one-VM inventory), state under `dir`, stderr to a pipe as
 * to journald.
 */
export function spawnSidecar(start: SidecarStart): ChildProcess {
  const runtime = unitRuntime();
  const { VOXOPS_INVENTORY_FILE: _none, ...unitEnv } = runtime.env;
  const { NODE_OPTIONS: _ignored, ...baseEnv } = process.env;
  return spawn(start.node ?? process.execPath, [...runtime.flags, start.bundle, "--vm", start.vm], {
    env: {
      ...baseEnv,
      ...unitEnv,
      VOXOPS_VM: start.vm,
      VOXOPS_STATE_DIR: join(start.dir, `state-${start.vm}`),
      VOXOPS_CONTROLLERS: start.controller,
      VOXOPS_SIDECAR_KEY: start.key,
      ...start.env,
    },
    stdio: ["ignore", "ignore", "pipe"],
  });
}
