/** The `restore` action: bring a file back from the backup repository. */
import * as z from "zod";
import { defineAction, say } from "../action-definition.ts";
import { gitRefSchema, relativePathSchema } from "../names.ts";
import { shownText } from "../shown-text.ts";
import { size } from "./units.ts";

/** The `restore` definition. */
export const restore = defineAction({
  name: "restore",
  summary: { en: "bring a file back from the backup repository", ru: "вернуть файл из репозитория бэкапов" },
  noun: { en: "restore", ru: "восстановление" },
  args: z.object({ path: relativePathSchema, ref: gitRefSchema.optional() }).strict(),
  output: z.object({
    path: z.string(),
    commit: z.string(),
    bytes: z.number().int().nonnegative(),
    replacedExisting: z.boolean(),
  }),
  risk: "change",
  confirm: true,
  timeoutMs: 120_000,
  llm: "propose",
  http: { method: "POST", path: "/agent/restore" },
  readBack: (a, w) =>
    say(w.lang, `Восстановить ${a.path} ${w.on} из бэкапа?`, `Restore ${a.path} ${w.on} from the backup?`),
  render: (out, { vm, lang }) => {
    const path = shownText(out.path, 200);
    const commit = out.commit.slice(0, 8);
    return say(
      lang,
      `♻️ ${vm}: ${path} восстановлен из бэкапа (коммит ${commit}, ${size(out.bytes, "ru")})${out.replacedExisting ? "; прежний файл заменён" : ""}. Перезапустите сервис, если он читает этот файл при старте.`,
      `♻️ ${vm}: ${path} is restored from the backup (commit ${commit}, ${size(out.bytes, "en")})${out.replacedExisting ? "; it replaced the file that was there" : ""}. Restart the service if it reads this file at start.`,
    );
  },
});
