/** Who listens on a TCP port: /proc/net/tcp{,6} for the socket, /proc/[pid]/fd for its owner. */
import { readdir, readFile, readlink } from "node:fs/promises";
import { listPids, type ProcessInfo, readProcess } from "./processes.ts";

/** Socket inodes listening on `port`, from the text of /proc/net/tcp or tcp6. */
export function listeningInodes(text: string, port: number): number[] {
  const inodes: number[] = [];
  for (const line of text.split("\n").slice(1)) {
    const cols = line.trim().split(/\s+/);
    const local = cols[1];
    // st 0A is TCP_LISTEN; column 9 is the inode.
    if (!local || cols[3] !== "0A") continue;
    const hexPort = local.split(":")[1];
    if (hexPort && Number.parseInt(hexPort, 16) === port) inodes.push(Number(cols[9]));
  }
  return inodes.filter((i) => i > 0);
}

/** The processes holding a listening socket on `port` (empty when nobody listens or we may not look). */
export async function portOwners(port: number, proc = "/proc"): Promise<ProcessInfo[]> {
  const inodes = new Set<number>();
  for (const table of ["tcp", "tcp6"]) {
    try {
      for (const i of listeningInodes(await readFile(`${proc}/net/${table}`, "utf8"), port)) inodes.add(i);
    } catch {
      // no IPv6 table on this machine
    }
  }
  if (inodes.size === 0) return [];
  const owners: ProcessInfo[] = [];
  for (const pid of await listPids(proc)) {
    let fds: string[];
    try {
      fds = await readdir(`${proc}/${pid}/fd`);
    } catch {
      continue;
    }
    for (const fd of fds) {
      const target = await readlink(`${proc}/${pid}/fd/${fd}`).catch(() => "");
      const m = /^socket:\[(\d+)\]$/.exec(target);
      if (m?.[1] && inodes.has(Number(m[1]))) {
        const info = await readProcess(pid, proc);
        if (info) owners.push(info);
        break;
      }
    }
  }
  return owners;
}
