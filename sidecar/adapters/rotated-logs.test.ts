import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { isRotationOf, removeRotatedLogs } from "./rotated-logs.ts";

describe("rotated logs", () => {
  it("knows logrotate's names and nothing else", () => {
    for (const name of [
      "app.log.1",
      "app.log.12.gz",
      "app.log.old",
      "app.log-20240101",
      "app.log.2024-01-01.gz",
      "app.log.gz",
    ])
      expect(isRotationOf("app.log", name), name).toBe(true);
    for (const name of [
      "app.log",
      "app.log.db",
      "app.logger",
      "app.log.1.sqlite",
      "other.log.1",
      "app.log.bak.txt",
    ])
      expect(isRotationOf("app.log", name), name).toBe(false);
  });

  it("removes only the rotations of the service's log files and counts the bytes", async () => {
    const dir = mkdtempSync(join(tmpdir(), "voxops-rotated-"));
    try {
      for (const [name, size] of [
        ["app.log", 10],
        ["app.log.1", 100],
        ["app.log.2.gz", 50],
        ["orders.db", 1000],
        ["other.log.1", 7],
      ] as const)
        writeFileSync(join(dir, name), "x".repeat(size));
      const r = await removeRotatedLogs([join(dir, "app.log")]);
      expect(r.freedB).toBe(150);
      expect(readdirSync(dir).sort()).toEqual(["app.log", "orders.db", "other.log.1"]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
