/** The `code-revert` action: revert an applied change through the same checks, restart and verification. */
import { defineAction, say } from "../action-definition.ts";
import { codeActionArgs } from "../code-actions.ts";
import { codeChangeOutputSchema, codeChangeText } from "./code-change-output.ts";

/** The `code-revert` definition. */
export const codeRevert = defineAction({
  name: "code-revert",
  summary: {
    en: "revert an applied code change through the same checks, restart and verification",
    ru: "откатить применённое изменение кода с теми же проверками и перезапуском",
  },
  noun: { en: "code revert", ru: "откат изменения кода" },
  args: codeActionArgs["code-revert"],
  output: codeChangeOutputSchema,
  risk: "change",
  confirm: true,
  timeoutMs: 900_000,
  llm: "never",
  http: null,
  // Not an MCP tool: offered after an applied code change, through its own confirmation.
  mcp: "internal",
  readBack: (a, w) =>
    say(
      w.lang,
      `Откатить коммит ${a.commit.slice(0, 8)} в ${a.service} ${w.on}?`,
      `Revert commit ${a.commit.slice(0, 8)} of ${a.service} ${w.on}?`,
    ),
  render: (out, where) => codeChangeText(out, where, true),
});
