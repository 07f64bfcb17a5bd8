/** The `code-read` action: a line range of one file of a service's source. */
import { defineAction, say } from "../action-definition.ts";
import { codeActionArgs } from "../code-actions.ts";
import { fileTextSchema } from "./source-outputs.ts";
import { quoted } from "./units.ts";

/** The `code-read` definition. */
export const codeRead = defineAction({
  name: "code-read",
  summary: {
    en: "read a file of a service's source (a line range)",
    ru: "прочитать файл исходников сервиса",
  },
  noun: { en: "reading the source", ru: "чтение исходников" },
  args: codeActionArgs["code-read"],
  output: fileTextSchema,
  risk: "read",
  confirm: false,
  llm: "never",
  http: null,
  readBack: (a, w) =>
    say(w.lang, `Прочитать ${a.path} из ${a.service} ${w.on}?`, `Read ${a.path} of ${a.service} ${w.on}?`),
  render: (out, { vm, lang }) =>
    `${say(lang, `📄 ${out.path} (${out.service} на ${vm}), строки ${out.fromLine}–${out.toLine} из ${out.totalLines}.`, `📄 ${out.path} (${out.service} on ${vm}), lines ${out.fromLine}–${out.toLine} of ${out.totalLines}.`)}\n${quoted(out.text.split("\n"))}`,
});
