/** The `backup` action: commit and push the VM's configured paths to the backup repository. */
import * as z from "zod";
import { defineAction, say } from "../action-definition.ts";

/** The `backup` definition. */
export const backup = defineAction({
  name: "backup",
  summary: {
    en: "commit and push configured paths to the backup repository",
    ru: "сохранить настроенные пути в репозиторий бэкапов",
  },
  noun: { en: "backup", ru: "бэкап" },
  args: z.object({ reason: z.string().max(200).optional() }).strict(),
  output: z.object({
    commit: z.string().nullable(),
    changed: z.boolean(),
    files: z.number().int().optional(),
    skipped: z.array(z.object({ path: z.string(), reason: z.string().optional() })).default([]),
  }),
  risk: "change",
  confirm: false,
  timeoutMs: 300_000,
  llm: "propose",
  http: { method: "POST", path: "/agent/backup" },
  readBack: (_a, w) =>
    say(w.lang, `Сделать бэкап ${w.on} в репозиторий?`, `Back up ${w.target} to the repository?`),
  render: (out, { vm, lang }) => {
    const commit = out.commit?.slice(0, 8);
    const files =
      out.files === undefined ? "" : say(lang, ` (файлов: ${out.files})`, ` (${out.files} files)`);
    const lines = [
      out.changed
        ? say(
            lang,
            `💾 ${vm}: бэкап сохранён, коммит ${commit ?? "—"}${files}.`,
            `💾 ${vm}: backed up as commit ${commit ?? "none"}${files}.`,
          )
        : say(
            lang,
            `💾 ${vm}: изменений с прошлого бэкапа нет, последний коммит ${commit ?? "—"}.`,
            `💾 ${vm}: nothing changed since the last backup; the latest commit is ${commit ?? "none"}.`,
          ),
    ];
    if (out.skipped.length > 0) {
      const shown = out.skipped
        .slice(0, 5)
        .map((k) => k.path)
        .join(", ");
      const more =
        out.skipped.length > 5
          ? say(lang, ` и ещё ${out.skipped.length - 5}`, ` and ${out.skipped.length - 5} more`)
          : "";
      lines.push(
        say(
          lang,
          `Не сохранены (ссылки, слишком большие или с секретами): ${shown}${more}.`,
          `Not saved (links, too large, or holding secrets): ${shown}${more}.`,
        ),
      );
    }
    return lines.join("\n");
  },
});
