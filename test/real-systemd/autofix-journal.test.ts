/**
 * What journald really writes, read by the sidecar's own journald adapter inside a real systemd 252:
 * a line over 4096 bytes, coloured output stored as a byte array, systemd's (PID 1's) own records about
 * a unit, and a runtime out of memory. The probe runs inside the sandbox as root. A kernel OOM kill under
 * MemoryMax cannot be shown here: the sandbox's systemd has no cgroup file system, so it records the kill
 * as result 'signal', not 'oom-kill' (tested on the shared case file instead).
 */
import { resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { installUnit, type SystemdSandbox, startSandbox } from "../support/systemd-sandbox.ts";
import { waitFor } from "../support/wait-for.ts";

const repo = resolve(import.meta.dirname, "..", "..");
const node24 = resolve(repo, "node_modules", "node", "bin", "node");
const probe = resolve(import.meta.dirname, "journal-probe.ts");

interface Seen {
  entries: { unit: string | null; priority: number; message: string; truncated: boolean }[];
  rule: string | null;
  facts: Record<string, string>;
}

describe("auto-fix on records as journald writes them (real systemd and journald)", () => {
  let sbx: SystemdSandbox;
  const see = async (unit: string): Promise<Seen> =>
    JSON.parse(await sbx.exec([node24, probe, unit], { timeoutMs: 30_000 })) as Seen;
  /** Waits until the unit's journal holds a line with `text` and the unit has stopped. */
  const settled = (unit: string, text: string) =>
    waitFor(
      async () => {
        const r = await sbx.run(["journalctl", "-u", unit, "-o", "cat", "--all", "--no-pager"]);
        const state = (await sbx.run(["systemctl", "is-active", unit])).stdout.trim();
        return r.stdout.includes(text) && state !== "active" && state !== "activating";
      },
      { timeoutMs: 30_000, what: `${unit} to log ${text}` },
    );

  beforeAll(async () => {
    sbx = await startSandbox("autofix-journal");
    // The sandbox boots systemd with --log-target=console --log-level=warning; a VM's systemd writes its
    // notes about units (info and up) to the journal, as here.
    await sbx.exec(["systemd-analyze", "set-log-target", "journal"]);
    await sbx.exec(["systemd-analyze", "set-log-level", "info"]);
  }, 60_000);
  afterAll(async () => {
    await sbx?.stop();
  });

  it("reads a line longer than 4096 bytes whole, and finds the error at its end", async () => {
    const script =
      "import sys; print('x' * 6000 + ' OSError: [Errno 28] No space left on device', flush=True); sys.exit(1)";
    await installUnit(
      sbx,
      "long-line.service",
      `[Service]\nType=exec\nExecStart=/usr/bin/python3 -c "${script}"\n`,
    );
    await sbx.exec(["systemctl", "start", "long-line.service"]);
    await settled("long-line.service", "No space left on device");
    // The shape the adapter must avoid: without --all, journalctl prints the long MESSAGE as null.
    const raw = await sbx.exec([
      "journalctl",
      "-u",
      "long-line.service",
      "-o",
      "json",
      "--no-pager",
      "_TRANSPORT=stdout",
    ]);
    expect(raw).toContain('"MESSAGE":null');
    const seen = await see("long-line.service");
    const long = seen.entries.find((e) => e.message.length > 4096);
    expect(long?.message.endsWith("No space left on device")).toBe(true);
    expect(seen.rule).toBe("out-of-space");
  }, 60_000);

  it("decodes coloured output (a byte array in the journal) and strips the escapes before classifying", async () => {
    const script =
      "process.stdout.write('\\u001b[31merror\\u001b[39m: Cannot find module \\u0027express\\u0027\\n'); process.exit(1)";
    await sbx.writeFile("/srv/colour/app.js", script);
    await installUnit(
      sbx,
      "colour.service",
      "[Service]\nType=exec\nExecStart=/usr/bin/node /srv/colour/app.js\n",
    );
    await sbx.exec(["systemctl", "start", "colour.service"]);
    await settled("colour.service", "Cannot find module");
    const raw = await sbx.exec([
      "journalctl",
      "-u",
      "colour.service",
      "-o",
      "json",
      "--all",
      "--no-pager",
      "_TRANSPORT=stdout",
    ]);
    expect(raw).toMatch(/"MESSAGE":\[27,91,51,49,109/);
    const seen = await see("colour.service");
    expect(seen.entries.map((e) => e.message)).toContain("error: Cannot find module 'express'");
    expect(seen).toMatchObject({ rule: "import-error", facts: { module: "express" } });
  }, 60_000);

  it("attributes PID 1's records about a unit to that unit: a missing executable is file-not-found with its path", async () => {
    await installUnit(sbx, "gone.service", "[Service]\nType=exec\nExecStart=/srv/gone/run\n");
    await sbx.run(["systemctl", "start", "gone.service"]);
    await settled("gone.service", "Failed with result");
    const raw = await sbx.exec(["journalctl", "-u", "gone.service", "-o", "json", "--all", "--no-pager"]);
    expect(raw).toContain('"_SYSTEMD_UNIT":"init.scope"');
    const seen = await see("gone.service");
    const fromPid1 = seen.entries.filter((e) => e.message.startsWith("gone.service: Failed with result"));
    expect(fromPid1).toHaveLength(1);
    expect(fromPid1[0]?.unit).toBe("gone.service");
    expect(seen).toMatchObject({ rule: "file-not-found", facts: { path: "/srv/gone/run" } });
  }, 60_000);

  it("a runtime that runs out of memory under its limit reaches out-of-memory, with PID 1's exit record beside it", async () => {
    // Node's own heap limit: a real out-of-memory crash that cannot grow past 24 MB of heap on a shared machine.
    await sbx.writeFile(
      "/srv/heap/app.js",
      "const keep = [];\nfor (;;) keep.push(new Array(1e5).fill({ n: 1 }));\n",
    );
    await installUnit(
      sbx,
      "heap.service",
      `[Service]\nType=exec\nMemoryMax=256M\nExecStart=${node24} --max-old-space-size=24 /srv/heap/app.js\n`,
    );
    await sbx.exec(["systemctl", "start", "heap.service"]);
    await settled("heap.service", "Failed with result");
    const seen = await see("heap.service");
    expect(seen.entries.some((e) => e.message.includes("JavaScript heap out of memory"))).toBe(true);
    expect(seen.entries.find((e) => e.message.startsWith("heap.service: Main process exited"))?.unit).toBe(
      "heap.service",
    );
    expect(seen.rule).toBe("out-of-memory");
  }, 60_000);
});
