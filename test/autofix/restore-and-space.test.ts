/** Auto-fix end to end: a deleted backed-up file is restored from a real bare repository; a full log directory is cleared of rotated logs. */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { runBackup } from "../../sidecar/services/backup.ts";
import { freePort, git } from "../sidecar-actions/harness.ts";
import { autofixFixture, createWorld, serviceFixture, type World } from "./world.ts";

const worlds: World[] = [];
afterEach(async () => {
  for (const w of worlds.splice(0)) await w.cleanup();
});

type Step = { kind: string; ok: boolean; detail: Record<string, unknown> };

describe("file not found", () => {
  it("restores a deleted file that is in the backup, restarts and verifies", async () => {
    const port = await freePort();
    let data = "";
    let remote = "";
    const w = createWorld((root) => {
      data = join(root, "srv", "api", "data");
      remote = join(root, "oracle-vm-backup.git");
      return {
        vms: {
          vm1: {
            services: [{ name: "api", backup: [data], health: `http://127.0.0.1:${port}/health`, port }],
          },
        },
        backup: { repo: remote, branch: "main" },
      };
    });
    worlds.push(w);
    git(w.h.root, "init", "-q", "--bare", "-b", "main", remote);
    mkdirSync(data, { recursive: true });
    const config = join(data, "config.json");
    writeFileSync(config, '{"health":"ok","note":"from the backup"}\n');
    await runBackup(w.h.adapters, { vm: "vm1", inventory: w.inv }, "test");
    rmSync(config);
    w.h.unit("api", serviceFixture("http-service.ts"), { env: { PORT: String(port), CONFIG_FILE: config } });
    await w.autofix.start();
    w.h.systemctl("start", "api");
    const e = await w.waitFor(["fix.applied", "fix.failed", "finding", "fix.skipped"]);
    expect(e.kind).toBe("fix.applied");
    expect(e.data["finding"]).toMatchObject({ rule: "file-not-found", facts: { path: config } });
    const steps = e.data["steps"] as Step[];
    expect(steps.map((s) => [s.kind, s.ok])).toEqual([
      ["restore-file", true],
      ["restart", true],
    ]);
    expect(readFileSync(config, "utf8")).toBe('{"health":"ok","note":"from the backup"}\n');
    expect((await fetch(`http://127.0.0.1:${port}/health`)).status).toBe(200);
  });

  it("reports a missing file outside the backed-up paths and restores nothing", async () => {
    const port = await freePort();
    let missing = "";
    const w = createWorld((root) => {
      missing = join(root, "elsewhere", "config.json");
      return {
        vms: { vm1: { services: [{ name: "api", backup: [join(root, "srv")], port }] } },
        backup: { repo: join(root, "r.git") },
      };
    });
    worlds.push(w);
    w.h.unit("api", serviceFixture("http-service.ts"), { env: { PORT: String(port), CONFIG_FILE: missing } });
    await w.autofix.start();
    w.h.systemctl("start", "api");
    const e = await w.waitFor(["fix.applied", "fix.failed", "finding", "fix.skipped"]);
    expect(e.kind).toBe("finding");
    expect(e.data["plan"]).toMatchObject({ decision: "report", steps: [] });
    expect(existsSync(missing)).toBe(false);
  });
});

describe("out of space", () => {
  function floodWorld(quota: number, extraUnit = "") {
    let logs = "";
    const port = 0;
    const w = createWorld((root) => {
      logs = join(root, "var", "log", "shop");
      return { vms: { vm1: { services: [{ name: "shop", logs: [join(logs, "app.log")] }] } } };
    });
    worlds.push(w);
    mkdirSync(logs, { recursive: true });
    writeFileSync(join(logs, "orders.db"), "user data that must survive\n");
    return { w, logs, port, extraUnit, quota };
  }

  it("removes the rotated logs of a flood (never user data), restarts and reports before/after figures", async () => {
    const { w, logs } = floodWorld(64 * 1024);
    w.h.unit("shop", autofixFixture("log-flood-service.ts"), {
      env: {
        LOG_FILE: join(logs, "app.log"),
        QUOTA_BYTES: String(64 * 1024),
        FLOOD_MARKER: join(w.h.root, "flooded"),
        PORT: "0",
      },
    });
    await w.autofix.start();
    w.h.systemctl("start", "shop");
    const e = await w.waitFor(["fix.applied", "fix.failed", "finding", "fix.skipped"]);
    expect(e.kind).toBe("fix.applied");
    expect(e.data["finding"]).toMatchObject({ rule: "out-of-space" });
    const reclaim = (e.data["steps"] as Step[])[0];
    expect(reclaim?.kind).toBe("reclaim-space");
    const d = reclaim?.detail as {
      before: { logDirsB: number };
      after: { logDirsB: number };
      removed: string[];
      freedB: number;
    };
    expect(d.removed.length).toBeGreaterThan(3);
    expect(d.removed.every((p) => /app\.log\.\d+$/.test(p))).toBe(true);
    expect(d.before.logDirsB - d.after.logDirsB).toBeGreaterThanOrEqual(d.freedB - 1000);
    expect(d.after.logDirsB).toBeLessThan(64 * 1024);
    expect(readdirSync(logs).sort()).toEqual(["app.log", "orders.db"]);
    expect(readFileSync(join(logs, "orders.db"), "utf8")).toContain("must survive");
    expect(w.h.systemctl("show", "shop", "-p", "ActiveState")).toContain("=active");
  });

  it("a service that keeps failing after repair: the breaker stops the loop and the operator is told once", async () => {
    const { w, logs } = floodWorld(10);
    w.h.unit("shop", autofixFixture("log-flood-service.ts"), {
      env: { LOG_FILE: join(logs, "app.log"), QUOTA_BYTES: "10", PORT: "0" },
      // No start limit: the loop must be ended by the breaker, not by systemd giving up on a slow machine.
      extra: "Restart=always\nRestartSec=1\nStartLimitIntervalSec=0",
    });
    await w.autofix.start();
    w.h.systemctl("start", "shop");
    await w.waitFor(["autofix.paused"], 45_000);
    const failedBefore = w.of("fix.failed").length;
    // The service goes on failing; nothing more is repaired or sent.
    await new Promise((r) => setTimeout(r, 3000));
    expect(w.of("autofix.paused")).toHaveLength(1);
    expect(w.of("autofix.paused")[0]?.data).toMatchObject({
      service: "shop",
      reason: "breaker",
      failures: 3,
    });
    expect(failedBefore).toBe(3);
    expect(w.of("fix.failed")).toHaveLength(3);
    expect(w.of("fix.applied")).toHaveLength(0);
    expect(readFileSync(join(logs, "orders.db"), "utf8")).toContain("must survive");
  }, 70_000);
});
