/** The `restart-sidecar` action: restart the voxops sidecar itself (systemd starts it again). */
import * as z from "zod";
import { defineAction, say } from "../action-definition.ts";

/** The `restart-sidecar` definition. */
export const restartSidecar = defineAction({
  name: "restart-sidecar",
  summary: { en: "restart the voxops sidecar itself", ru: "перезапустить сам сайдкар voxops" },
  noun: { en: "sidecar restart", ru: "перезапуск сайдкара" },
  args: z.object({}).strict(),
  output: z.object({ restarting: z.boolean(), pid: z.number().int().optional() }),
  risk: "change",
  confirm: false,
  llm: "never",
  http: null,
  readBack: (_a, w) =>
    say(w.lang, `Перезапустить сайдкар voxops ${w.on}?`, `Restart the voxops sidecar ${w.on}?`),
  render: (_out, { vm, lang }) =>
    say(
      lang,
      `🔄 Сайдкар на ${vm} перезапускается и через несколько секунд подключится снова.`,
      `🔄 The sidecar on ${vm} is restarting and will connect again in a few seconds.`,
    ),
});
