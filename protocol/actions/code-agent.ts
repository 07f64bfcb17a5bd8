/** The `code-agent` action: run the service's coding agent in a scratch git worktree and return its changed files. */
import * as z from "zod";
import { defineAction, say } from "../action-definition.ts";
import { codeActionArgs } from "../code-actions.ts";

/** What stopped the agent: its deadline, exit code and last lines, no repository, too many files, a missing program or secret. */
export const codeAgentFailureSchema = z
  .object({
    timeoutS: z.number().optional(),
    exitCode: z.number().optional(),
    output: z.string().optional(),
    root: z.string().optional(),
    limit: z.number().optional(),
    missing: z.string().optional(),
    /** A secret variable the agent needs and has no value for, or whose value it wrote into a file. */
    variable: z.string().optional(),
    /** Where the missing variable's value is read from (the helper's file, or the sidecar's environment). */
    file: z.string().optional(),
    /** The file of the change that held a secret's value. */
    path: z.string().optional(),
  })
  .strict();

/** A file the agent changed: its new content, or null when it deleted it; `renamedFrom` when it moved it. */
export const agentFileSchema = z.object({
  path: z.string(),
  content: z.string().nullable(),
  renamedFrom: z.string().exactOptional(),
});

/** A file the agent changed that voxops leaves out, and why (the controller words the reason). */
export const agentSkippedSchema = z.object({
  path: z.string(),
  from: z.string().exactOptional(),
  why: z.enum(["not-writable", "binary-or-big", "not-regular"]),
});

/** What the agent produced in its scratch worktree: the files it changed, those left out, its last output. */
export const codeAgentOutputSchema = z.object({
  vm: z.string(),
  service: z.string(),
  files: z.array(agentFileSchema),
  skipped: z.array(agentSkippedSchema),
  output: z.string(),
});

/** What the agent produced. */
export type CodeAgentOutput = z.output<typeof codeAgentOutputSchema>;

/** A file the agent changed that voxops leaves out. */
export type AgentSkipped = z.output<typeof agentSkippedSchema>;

/** The `code-agent` definition. */
export const codeAgent = defineAction({
  name: "code-agent",
  summary: {
    en: "run the service's coding agent in a scratch git worktree (never the live tree) and return its changed files",
    ru: "запустить агента-программиста сервиса в отдельном рабочем дереве git и вернуть изменённые файлы",
  },
  noun: { en: "coding agent run", ru: "работа агента-программиста" },
  args: codeActionArgs["code-agent"],
  output: codeAgentOutputSchema,
  failureDetails: codeAgentFailureSchema,
  risk: "change",
  confirm: false,
  timeoutMs: 3_700_000,
  llm: "never",
  http: null,
  // Not an MCP tool: drafted by the code desk after a proposal is asked for.
  mcp: "internal",
  readBack: (a, w) =>
    say(
      w.lang,
      `Запустить агента-программиста для ${a.service} ${w.on}?`,
      `Run the coding agent for ${a.service} ${w.on}?`,
    ),
  render: (out, { vm, lang }) =>
    say(
      lang,
      `🤖 ${vm}: агент-программист закончил работу над ${out.service}: изменено файлов — ${out.files.length}, не вошло — ${out.skipped.length}; изменения ждут проверки.`,
      `🤖 ${vm}: the coding agent finished its work on ${out.service}: ${out.files.length} files changed, ${out.skipped.length} left out; the changes await review.`,
    ),
});
