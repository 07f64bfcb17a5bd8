import { describe, expect, it } from "vitest";
import type { BackupReport } from "../adapters/backup-repo.ts";
import { createBackupSchedule } from "./backup-schedule.ts";

const report: BackupReport = {
  commit: "abc",
  changed: true,
  files: 1,
  skipped: [],
  missing: [],
  attempts: 1,
};

describe("backup schedule", () => {
  it("never runs two backups at once and reports results and errors", async () => {
    let running = 0;
    let most = 0;
    let calls = 0;
    const results: BackupReport[] = [];
    const errors: unknown[] = [];
    const schedule = createBackupSchedule({
      everyMs: 60_000,
      run: async (reason) => {
        calls++;
        running++;
        most = Math.max(most, running);
        await new Promise((r) => setTimeout(r, 20));
        running--;
        if (calls === 2) throw new Error(`failed: ${reason}`);
        return report;
      },
      onResult: (r) => results.push(r),
      onError: (e) => errors.push(e),
    });
    await Promise.all([schedule.tick(), schedule.tick(), schedule.tick()]);
    await schedule.tick();
    schedule.stop();
    expect(calls).toBe(2);
    expect(most).toBe(1);
    expect(results).toEqual([report]);
    expect(String(errors[0])).toMatch(/failed: scheduled backup/);
  });
});
