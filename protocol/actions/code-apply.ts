/** The `code-apply` action: apply a confirmed change (snapshot, write, checks, restart, verify, roll back on failure). */
import { defineAction, say } from "../action-definition.ts";
import { codeActionArgs } from "../code-actions.ts";
import { codeChangeOutputSchema, codeChangeText } from "./code-change-output.ts";

/** The `code-apply` definition. */
export const codeApply = defineAction({
  name: "code-apply",
  summary: {
    en: "apply a confirmed code change: snapshot, write, checks, restart, verify, roll back on failure",
    ru: "применить подтверждённое изменение кода: снимок, запись, проверки, перезапуск, откат при сбое",
  },
  noun: { en: "code change", ru: "изменение кода" },
  args: codeActionArgs["code-apply"],
  output: codeChangeOutputSchema,
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
  render: (out, where) => codeChangeText(out, where, false),
});
