/** Plans watch-limit: report the inotify limit; nothing on the VM is changed. */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import type { Planner } from "../rule-kit/plan.ts";
import type { WordBook } from "../rule-kit/words.ts";

/** Every sentence this planner can return; `limit` is the current value or "" when unreadable. */
export const words = {
  limit: (p: { limit: string }) => ({
    en: `the disk is not full: the per-user limit of inotify file watchers fs.inotify.max_user_watches${p.limit ? ` (now ${p.limit})` : ""} is reached; nothing was changed`,
    ru: `диск не полон: достигнут предел наблюдаемых файлов inotify fs.inotify.max_user_watches${p.limit ? ` (сейчас ${p.limit})` : ""}; ничего не менял`,
  }),
  ask: () => ({
    en: "Raise it (sysctl -w fs.inotify.max_user_watches=524288 and a file in /etc/sysctl.d) or make the service watch fewer files.",
    ru: "Поднимите его (sysctl -w fs.inotify.max_user_watches=524288 и файл в /etc/sysctl.d) или пусть сервис следит за меньшим числом файлов.",
  }),
} satisfies WordBook;

/** The planner: reads fs.inotify.max_user_watches and says what would raise it. */
export const planWatchLimit: Planner = async ({ adapters }, { report }) => {
  const limit = await readFile(join(adapters.proc, "sys", "fs", "inotify", "max_user_watches"), "utf8")
    .then((t) => t.trim())
    .catch(() => "");
  return report(words.limit({ limit }), { ask: words.ask() });
};
