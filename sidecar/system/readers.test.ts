import { createServer } from "node:net";
import { describe, expect, it } from "vitest";
import { parseMounts, readDisks } from "./disks.ts";
import { memoryFromMeminfo, readMemory } from "./memory.ts";
import { listeningInodes, portOwners } from "./ports.ts";
import { parseStatus, readProcess, shownCommand, topByMemory } from "./processes.ts";

describe("/proc and statfs readers on this machine", () => {
  it("reads memory and swap", async () => {
    const m = await readMemory();
    expect(m.totalB).toBeGreaterThan(64 * 1024 * 1024);
    expect(m.availableB).toBeLessThanOrEqual(m.totalB);
    expect(m.usedB + m.availableB).toBe(m.totalB);
    expect(m.swapUsedB).toBe(m.swapTotalB - m.swapFreeB);
  });

  it("finds this test process among processes and ranks by resident memory", async () => {
    const me = await readProcess(process.pid);
    expect(me?.rssB).toBeGreaterThan(1024 * 1024);
    expect(me?.ppid).toBe(process.ppid);
    const top = await topByMemory(500);
    expect(top.some((p) => p.pid === process.pid)).toBe(true);
    expect(top.map((p) => p.rssB)).toEqual([...top.map((p) => p.rssB)].sort((a, b) => b - a));
    // This process is shown by its program, not by the thread name Node gives its main thread.
    expect(top.find((p) => p.pid === process.pid)?.command).toMatch(/^node\b/);
  });

  it("shows a command by program and leading arguments, never its options", () => {
    expect(shownCommand(["/usr/bin/node", "/srv/api/server.js", "--token", "s3cret"], "MainThread")).toBe(
      "node /srv/api/server.js",
    );
    expect(shownCommand(["python3", "-m", "uvicorn", "app:main"], "python3")).toBe("python3");
    expect(shownCommand(["/usr/sbin/nginx", "-g", "daemon off;"], "nginx")).toBe("nginx");
    expect(shownCommand(["app", "serve", "PASSWORD=x"], "app")).toBe("app serve");
    expect(shownCommand([], "kworker/0:1")).toBe("[kworker/0:1]");
  });

  it("reads the disk of the root mount through statfs", async () => {
    const disks = await readDisks();
    const root = disks.find((d) => d.path === "/");
    expect(root?.totalB).toBeGreaterThan(0);
    expect(root?.freeB).toBeLessThanOrEqual(root?.totalB ?? 0);
    expect(root?.usedPercent).toBeGreaterThanOrEqual(0);
    expect(disks.every((d) => d.type !== "proc" && d.type !== "sysfs")).toBe(true);
  });

  it("finds who listens on a port", async () => {
    const server = createServer();
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const port = (server.address() as { port: number }).port;
    try {
      const owners = await portOwners(port);
      expect(owners.map((o) => o.pid)).toEqual([process.pid]);
    } finally {
      server.close();
    }
    expect(await portOwners(port)).toEqual([]);
  });
});

describe("parsers", () => {
  it("parses meminfo without MemAvailable, mounts with escapes, status and tcp tables", () => {
    expect(
      memoryFromMeminfo(
        "MemTotal: 1000 kB\nMemFree: 100 kB\nCached: 200 kB\nSwapTotal: 0 kB\nSwapFree: 0 kB\n",
      ),
    ).toMatchObject({
      totalB: 1_024_000,
      availableB: 307_200,
    });
    const mounts = parseMounts(
      "proc /proc proc rw 0 0\n/dev/sda1 / ext4 rw 0 0\n/dev/sdb1 /mnt/my\\040disk xfs rw 0 0\n/dev/sda1 /var/lib/docker ext4 rw 0 0\ntmpfs /run tmpfs rw 0 0\n",
    );
    expect(mounts).toEqual([
      { device: "/dev/sda1", path: "/", type: "ext4" },
      { device: "/dev/sdb1", path: "/mnt/my disk", type: "xfs" },
    ]);
    expect(parseStatus(7, "Name:\tnode\nPPid:\t1\nVmRSS:\t   2048 kB\n")).toEqual({
      pid: 7,
      ppid: 1,
      name: "node",
      rssB: 2_097_152,
    });
    const tcp = [
      "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode",
      "   0: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 12345 1",
      "   1: 0100007F:1F90 0100007F:D2F0 01 00000000:00000000 00:00000000 00000000     0        0 12346 1",
    ].join("\n");
    expect(listeningInodes(tcp, 8080)).toEqual([12345]);
    expect(listeningInodes(tcp, 8081)).toEqual([]);
  });
});
