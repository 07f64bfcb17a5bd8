/** `voxops status`: which VMs are connected, when each was last heard from, and its figures. */

import { parseCommandLine } from "../../protocol/command-line.ts";
import type { VmState } from "../core/fleet.ts";
import { clientTarget, noTokenAdvice, otherHomeAdvice } from "./local-state.ts";

const gib = (b: number): string => (b / 1024 ** 3).toFixed(1);

function row(v: VmState): string[] {
  const f = v.figures;
  const heard = v.lastSeenAgoS === null ? "never" : `${v.lastSeenAgoS} s ago`;
  return [
    v.vm,
    v.connected ? "connected" : "offline",
    heard,
    f ? f.load.map((n) => n.toFixed(2)).join(" ") : "-",
    f ? `${gib(f.memory.totalB - f.memory.availableB)}/${gib(f.memory.totalB)} GiB` : "-",
    f ? `${gib(f.disk.totalB - f.disk.freeB)}/${gib(f.disk.totalB)} GiB (${f.disk.path})` : "-",
    v.failedUnits.length > 0 ? `failed: ${v.failedUnits.join(", ")}` : "",
  ];
}

/** Formats the fleet as an aligned table. */
export function formatFleet(vms: readonly VmState[]): string {
  const rows = [["VM", "LINK", "LAST HEARD", "LOAD 1/5/15", "MEMORY USED", "DISK USED", ""], ...vms.map(row)];
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? "").length)));
  return `${rows
    .map((r) =>
      r
        .map((c, i) => c.padEnd(widths[i] ?? 0))
        .join("  ")
        .trimEnd(),
    )
    .join("\n")}\n`;
}

const commandLine = {
  name: "status",
  help: `usage: voxops status [--vm NAME] [--json]
  Shows the VMs the controller knows: connected or offline, when each was last heard from, its load,
  memory, disk and failed units.

  --vm NAME   only this VM
  --json      print the controller's answer as JSON
  Environment: VOXOPS_URL (default http://127.0.0.1:$PORT, PORT default 8787), VOXOPS_API_TOKEN
  (default: the local run's token in $VOXOPS_HOME/local.json, VOXOPS_HOME default .voxops).`,
  options: { json: { type: "boolean" }, vm: { type: "string" } },
} as const;

/** Asks the controller for the fleet and prints it. */
export async function main(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const line = parseCommandLine(commandLine, argv);
  if (!line.run) return line.exitCode;
  const { values } = line;
  const target = clientTarget(env);
  if (target.problems.length > 0) {
    process.stderr.write(`voxops status: ${target.problems.join(" ")}\n`);
    return 2;
  }
  const { url: base, token } = target;
  if (token === undefined) {
    process.stderr.write(`voxops status: ${noTokenAdvice(target)}\n`);
    return 2;
  }
  let res: Response;
  try {
    res = await fetch(`${base}/agent/vm/status${values.vm ? `?vm=${encodeURIComponent(values.vm)}` : ""}`, {
      headers: { authorization: `Bearer ${token}` },
      signal: AbortSignal.timeout(10_000),
    });
  } catch (error) {
    process.stderr.write(
      `voxops status: cannot reach the controller at ${base} (${(error as Error).message}). Is it running? (npm start)\n`,
    );
    return 1;
  }
  const body = (await res.json().catch(() => ({}))) as { vms?: VmState[]; message?: string };
  if (res.status === 401) {
    process.stderr.write(
      `voxops status: the controller at ${base} refused the API token (401): ${body.message ?? ""}${env.VOXOPS_API_TOKEN === undefined ? ` ${otherHomeAdvice}` : ""}\n`,
    );
    return 2;
  }
  if (!res.ok || !body.vms) {
    process.stderr.write(`voxops status: ${res.status} ${body.message ?? res.statusText}\n`);
    return 1;
  }
  process.stdout.write(values.json ? `${JSON.stringify(body.vms, null, 2)}\n` : formatFleet(body.vms));
  return 0;
}
