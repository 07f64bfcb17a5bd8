/** Plans watch-limit: report the inotify limit; nothing on the VM is changed. */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import type { Planner } from "../plan.ts";

/** The planner: reads fs.inotify.max_user_watches and says what would raise it. */
export const planWatchLimit: Planner = async ({ adapters }, { report }) => {
  const limit = await readFile(join(adapters.proc, "sys", "fs", "inotify", "max_user_watches"), "utf8")
    .then((t) => t.trim())
    .catch(() => null);
  const now = limit === null ? "" : ` (now ${limit})`;
  return report(
    {
      en: `the disk is not full: the per-user limit of inotify file watchers fs.inotify.max_user_watches${now} is reached; nothing was changed. Raise it (sysctl -w fs.inotify.max_user_watches=524288 and a file in /etc/sysctl.d) or make the service watch fewer files`,
      ru: `диск не полон: достигнут предел наблюдаемых файлов inotify fs.inotify.max_user_watches${now}; ничего не менял. Поднимите его (sysctl -w fs.inotify.max_user_watches=524288 и файл в /etc/sysctl.d) или пусть сервис следит за меньшим числом файлов`,
    },
    { ask: `Raise fs.inotify.max_user_watches${now} on this VM, or make the service watch fewer files?` },
  );
};
