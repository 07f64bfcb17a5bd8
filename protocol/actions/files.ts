/**
 * The `files` action: look at a service's files, confined to its declared root (its `code.root`, else
 * its repository checkout, else its working directory): list a directory, read a line range of a file
 * (size-capped), or search for a text. Secrets files (.env, *.pem, *.key, id_*) are never listed or read.
 */
import * as z from "zod";
import { defineAction, say } from "../action-definition.ts";
import { relativePathSchema, serviceNameSchema } from "../names.ts";
import { fileTextSchema, listingSchema, searchHitsSchema } from "./source-outputs.ts";
import { quoted, size } from "./units.ts";

/** Most characters of a file one `read` returns; the rest is asked for with a later line range. */
export const FILES_READ_MAX_CHARS = 3000;

const args = z
  .object({
    service: serviceNameSchema,
    op: z.enum(["list", "read", "search"]).default("list"),
    /** A directory (list) or file (read) under the root; the root itself when left out. */
    path: relativePathSchema.optional(),
    fromLine: z.number().int().min(1).default(1),
    toLine: z.number().int().min(1).optional(),
    /** The text to look for (search). */
    text: z.string().min(2).max(200).optional(),
  })
  .strict()
  .superRefine((a, ctx) => {
    if (a.op === "read" && a.path === undefined)
      ctx.addIssue({ code: "custom", path: ["path"], message: "reading needs the file's path" });
    if (a.op === "search" && a.text === undefined)
      ctx.addIssue({ code: "custom", path: ["text"], message: "a search needs the text to look for" });
    if (a.toLine !== undefined && a.toLine < a.fromLine)
      ctx.addIssue({ code: "custom", path: ["toLine"], message: "toLine comes before fromLine" });
  });

const root = { root: z.string() };

/** The `files` definition. */
export const files = defineAction({
  name: "files",
  summary: {
    en: "list, read (a line range) or search a service's files under its declared root; secrets files never",
    ru: "список, чтение (диапазон строк) и поиск по файлам сервиса в его корне; файлы с секретами никогда",
  },
  noun: { en: "reading files", ru: "чтение файлов" },
  args,
  output: z.discriminatedUnion("op", [
    listingSchema.extend({ op: z.literal("list"), ...root }),
    fileTextSchema.extend({ op: z.literal("read"), ...root, bytes: z.number().int(), clipped: z.boolean() }),
    searchHitsSchema.extend({ op: z.literal("search"), ...root, truncated: z.boolean() }),
  ]),
  risk: "read",
  confirm: false,
  llm: "run",
  http: { method: "GET", path: "/agent/files/:service" },
  readBack: (a, w) =>
    a.op === "read"
      ? say(w.lang, `Прочитать ${a.path} из ${a.service} ${w.on}?`, `Read ${a.path} of ${a.service} ${w.on}?`)
      : a.op === "search"
        ? say(
            w.lang,
            `Найти «${a.text}» в файлах ${a.service} ${w.on}?`,
            `Search the files of ${a.service} for “${a.text}” ${w.on}?`,
          )
        : say(w.lang, `Показать файлы ${a.service} ${w.on}?`, `List the files of ${a.service} ${w.on}?`),
  render: (out, { vm, lang }) => {
    if (out.op === "list") {
      const where = out.dir === "." ? out.root : `${out.root}/${out.dir}`;
      if (out.entries.length === 0)
        return say(
          lang,
          `📁 ${out.service} на ${vm}: в ${where} пусто.`,
          `📁 ${out.service} on ${vm}: ${where} is empty.`,
        );
      const more = out.truncated ? say(lang, " (показаны первые)", " (the first ones)") : "";
      return `${say(lang, `📁 ${out.service} на ${vm}, ${where}: записей ${out.entries.length}${more}.`, `📁 ${out.service} on ${vm}, ${where}: ${out.entries.length} entries${more}.`)}\n${quoted(out.entries)}`;
    }
    if (out.op === "read") {
      const head = say(
        lang,
        `📄 ${out.root}/${out.path} (${out.service} на ${vm}, ${size(out.bytes, "ru")}): строки ${out.fromLine}–${out.toLine} из ${out.totalLines}.`,
        `📄 ${out.root}/${out.path} (${out.service} on ${vm}, ${size(out.bytes, "en")}): lines ${out.fromLine}–${out.toLine} of ${out.totalLines}.`,
      );
      const clipped = out.clipped
        ? `\n${say(lang, `Текст обрезан до ${FILES_READ_MAX_CHARS} символов; попросите строки дальше.`, `The text is cut at ${FILES_READ_MAX_CHARS} characters; ask for the lines after it.`)}`
        : "";
      return out.text === ""
        ? `${head} ${say(lang, "В этих строках пусто.", "Those lines are empty.")}`
        : `${head}\n${quoted(out.text.split("\n"))}${clipped}`;
    }
    if (out.hits.length === 0)
      return say(
        lang,
        `🔎 «${out.text}» в файлах ${out.service} на ${vm} не найдено (просмотрено файлов: ${out.filesSearched}).`,
        `🔎 “${out.text}” is not in the files of ${out.service} on ${vm} (${out.filesSearched} files searched).`,
      );
    const more = out.truncated ? say(lang, ", показаны первые", "; the first ones are shown") : "";
    return `${say(lang, `🔎 «${out.text}» в ${out.root} (${out.service} на ${vm}): совпадений ${out.hits.length}${more}.`, `🔎 “${out.text}” in ${out.root} (${out.service} on ${vm}): ${out.hits.length} matches${more}.`)}\n${quoted(out.hits.map((h) => `${h.path}:${h.line}: ${h.text}`))}`;
  },
});
