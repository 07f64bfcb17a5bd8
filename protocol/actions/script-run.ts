/** The `script-run` action (issue 13: services and scripts voxops creates); the controller words its outcome with `edge/code/creation-texts.ts`, `render` here is the short form. */
import * as z from "zod";
import { defineAction, say } from "../action-definition.ts";
import { creationActionArgs } from "../creation-actions.ts";

/** The `script-run` definition. */
export const scriptRun = defineAction({
  name: "script-run",
  summary: {
    en: "run a script voxops created once, now, and return its output",
    ru: "один раз запустить скрипт, созданный voxops, и вернуть его вывод",
  },
  noun: { en: "script run", ru: "запуск скрипта" },
  args: creationActionArgs["script-run"],
  output: z.record(z.string(), z.unknown()),
  risk: "change",
  confirm: true,
  timeoutMs: 960_000,
  llm: "never",
  http: null,
  // Not an MCP tool: asked for in words through the ask tool, which confirms it with the code desk.
  mcp: "internal",
  readBack: (a, w) =>
    say(w.lang, `Запустить скрипт ${a.name} ${w.on} сейчас?`, `Run the script ${a.name} ${w.on} now?`),
  render: (_out, { vm, lang }) => say(lang, `✅ ${vm}: скрипт выполнен.`, `✅ ${vm}: the script ran.`),
});
