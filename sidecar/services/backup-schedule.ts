/** Runs the backup every so often, never two at once; the sidecar's main starts and stops it. */
import type { BackupReport } from "../adapters/backup-repo.ts";

/** What the schedule does and whom it tells. */
export interface BackupScheduleOptions {
  readonly everyMs: number;
  readonly run: (reason: string) => Promise<BackupReport>;
  readonly onResult?: (report: BackupReport) => void;
  readonly onError?: (error: unknown) => void;
}

/** A running schedule. */
export interface BackupSchedule {
  /** Runs one backup now unless one is already running; resolves when it is done. */
  tick(): Promise<void>;
  stop(): void;
}

/** Starts the schedule; the timer does not keep the process alive. */
export function createBackupSchedule(options: BackupScheduleOptions): BackupSchedule {
  let running: Promise<void> | null = null;
  const tick = (): Promise<void> => {
    if (running) return running;
    running = options
      .run("scheduled backup")
      .then(
        (r) => options.onResult?.(r),
        (e: unknown) => options.onError?.(e),
      )
      .finally(() => {
        running = null;
      });
    return running;
  };
  const timer = setInterval(() => void tick(), options.everyMs);
  timer.unref();
  return { tick, stop: () => clearInterval(timer) };
}
