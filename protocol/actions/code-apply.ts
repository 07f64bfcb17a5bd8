/** The `code-apply` action: apply a confirmed change (snapshot, write, checks, restart, verify, roll back on failure); the controller words its outcome with `edge/code/code-texts.ts`, `render` here is the short form. */
import * as z from "zod";
import { defineAction, say } from "../action-definition.ts";
import { codeActionArgs } from "../code-actions.ts";

/** The `code-apply` definition. */
export const codeApply = defineAction({
  name: "code-apply",
  summary: {
    en: "apply a confirmed code change: snapshot, write, checks, restart, verify, roll back on failure",
    ru: "применить подтверждённое изменение кода: снимок, запись, проверки, перезапуск, откат при сбое",
  },
  noun: { en: "code change", ru: "изменение кода" },
  args: codeActionArgs["code-apply"],
  output: z.record(z.string(), z.unknown()),
  risk: "change",
  confirm: true,
  timeoutMs: 900_000,
  llm: "never",
  http: null,
  // Not an MCP tool: the step after a confirmed code proposal (the ask tool proposes, confirm applies).
  mcp: "internal",
  readBack: (a, w) =>
    say(
      w.lang,
      `Применить изменение ${a.service} (файлов: ${a.files.length}) ${w.on}?`,
      `Apply the change to ${a.service} (${a.files.length} files) ${w.on}?`,
    ),
  render: (_out, { vm, lang }) =>
    say(lang, `✅ ${vm}: изменение кода применено.`, `✅ ${vm}: the code change is applied.`),
});
