/**
 * A unit killed by the kernel's OOM killer under its MemoryMax= on a system whose memory controller is
 * cgroup v1 (the hybrid hierarchy): systemd 252 reads OOM kills only from cgroup v2's memory.events, so
 * it records the kill as `code=killed, status=9/KILL` and result 'signal'. The kernel's own record names
 * the unit's cgroup (`oom-kill:…,task_memcg=/system.slice/app.service,task=python3,pid=…`); this finds it
 * and hands it to the burst as the unit's line, so the out-of-memory rule sees what happened.
 */

import type { Journal } from "../adapters/journal.ts";
import type { JournalEntry } from "../adapters/journal-entry.ts";

/** systemd's record of a main process ended by SIGKILL (an OOM kill among other causes). */
const SIGKILLED = /: Main process exited, code=killed, status=9\/KILL/;

/** True when the burst shows the unit's main process killed by SIGKILL. */
export function killedBySigkill(entries: readonly JournalEntry[]): boolean {
  return entries.some((e) => SIGKILLED.test(e.message));
}

/** The kernel's OOM-kill record for `unit` since `sinceMs`, as a line of that unit; null when there is none. */
export async function kernelOomRecord(
  journal: Journal,
  unit: string,
  sinceMs: number,
): Promise<JournalEntry | null> {
  const escaped = unit.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const mine = new RegExp(`\\boom-kill:.*\\btask_memcg=\\S*/${escaped}(?:,|\\s|$)`);
  const kernel = await journal.entries({ kernel: true, sinceMs, lines: 2000 }).catch(() => []);
  const hit = [...kernel].reverse().find((e) => mine.test(e.message));
  return hit ? { ...hit, unit } : null;
}
