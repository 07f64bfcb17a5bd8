/** The `code-list` action: list the files under a service's source root. */
import { defineAction, say } from "../action-definition.ts";
import { codeActionArgs } from "../code-actions.ts";
import { listingSchema } from "./source-outputs.ts";
import { quoted } from "./units.ts";

/** The `code-list` definition. */
export const codeList = defineAction({
  name: "code-list",
  summary: { en: "list files under a service's source root", ru: "файлы в исходниках сервиса" },
  noun: { en: "listing the source", ru: "список исходников" },
  args: codeActionArgs["code-list"],
  output: listingSchema,
  risk: "read",
  confirm: false,
  llm: "never",
  http: null,
  readBack: (a, w) =>
    say(w.lang, `Показать файлы ${a.service} ${w.on}?`, `List the files of ${a.service} ${w.on}?`),
  render: (out, { vm, lang }) =>
    `${say(lang, `📁 ${out.service} на ${vm}, ${out.dir}: записей ${out.entries.length}.`, `📁 ${out.service} on ${vm}, ${out.dir}: ${out.entries.length} entries.`)}\n${quoted(out.entries)}`,
});
