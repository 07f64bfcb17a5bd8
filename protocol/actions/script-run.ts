/** The `script-run` action (issue 13: services and scripts voxops creates): one run of a created script, now, with its output. */
import * as z from "zod";
import { defineAction, say } from "../action-definition.ts";
import { creationActionArgs } from "../creation-actions.ts";
import { quoted, seconds } from "./units.ts";

/** One run of a script: its exit status, systemd's result and the last lines it printed. */
export const scriptRunOutputSchema = z.object({
  vm: z.string(),
  name: z.string(),
  unit: z.string(),
  ok: z.boolean(),
  exitCode: z.number().int(),
  /** systemd's Result of the oneshot unit ("success", "exit-code", …). */
  result: z.string(),
  output: z.array(z.string()),
  durationMs: z.number().nonnegative(),
});

/** The `script-run` definition. */
export const scriptRun = defineAction({
  name: "script-run",
  summary: {
    en: "run a script voxops created once, now, and return its output",
    ru: "один раз запустить скрипт, созданный voxops, и вернуть его вывод",
  },
  noun: { en: "script run", ru: "запуск скрипта" },
  args: creationActionArgs["script-run"],
  output: scriptRunOutputSchema,
  risk: "change",
  confirm: true,
  timeoutMs: 960_000,
  llm: "never",
  http: null,
  // Not an MCP tool: asked for in words through the ask tool, which confirms it with the code desk.
  mcp: "internal",
  readBack: (a, w) =>
    say(w.lang, `Запустить скрипт ${a.name} ${w.on} сейчас?`, `Run the script ${a.name} ${w.on} now?`),
  render: (out, { vm, lang }) =>
    [
      say(
        lang,
        `✅ Скрипт ${out.name} выполнен на ${vm} (код ${out.exitCode}, ${seconds(out.durationMs, lang)}).`,
        `✅ Script ${out.name} ran on ${vm} (exit ${out.exitCode}, ${seconds(out.durationMs, lang)}).`,
      ),
      out.output.length > 0
        ? `${say(lang, "Его вывод:", "Its output:")}\n${quoted(out.output)}`
        : say(lang, "Он ничего не вывел.", "It printed nothing."),
    ].join("\n"),
});
