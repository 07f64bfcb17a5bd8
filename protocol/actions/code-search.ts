/** The `code-search` action: the lines of a service's source that contain a text. */
import { defineAction, say } from "../action-definition.ts";
import { codeActionArgs } from "../code-actions.ts";
import { searchHitsSchema } from "./source-outputs.ts";
import { quoted } from "./units.ts";

/** The `code-search` definition. */
export const codeSearch = defineAction({
  name: "code-search",
  summary: { en: "search a service's source for a text", ru: "найти текст в исходниках сервиса" },
  noun: { en: "searching the source", ru: "поиск по исходникам" },
  args: codeActionArgs["code-search"],
  output: searchHitsSchema,
  risk: "read",
  confirm: false,
  llm: "never",
  http: null,
  readBack: (a, w) =>
    say(w.lang, `Найти «${a.text}» в ${a.service} ${w.on}?`, `Search ${a.service} for “${a.text}” ${w.on}?`),
  render: (out, { vm, lang }) =>
    `${say(lang, `🔎 «${out.text}» в ${out.service} на ${vm}: совпадений ${out.hits.length}.`, `🔎 “${out.text}” in ${out.service} on ${vm}: ${out.hits.length} matches.`)}\n${quoted(out.hits.map((h) => `${h.path}:${h.line}: ${h.text}`))}`,
});
