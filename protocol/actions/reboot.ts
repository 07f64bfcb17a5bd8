/** The `reboot` action: reboot the VM (soft through systemd; hard through the cloud's reset). */
import * as z from "zod";
import { defineAction, say } from "../action-definition.ts";

/** The `reboot` definition. */
export const reboot = defineAction({
  name: "reboot",
  summary: { en: "reboot the VM", ru: "перезагрузить VM" },
  noun: { en: "reboot", ru: "перезагрузка" },
  args: z.object({ mode: z.enum(["soft", "hard"]).default("soft") }).strict(),
  output: z.object({ mode: z.enum(["soft", "hard"]).optional(), requestedAt: z.string().optional() }),
  risk: "destructive",
  confirm: true,
  llm: "propose",
  http: { method: "POST", path: "/agent/vm/reboot" },
  readBack: (a, w) =>
    a.mode === "hard"
      ? say(w.lang, `Жёстко перезагрузить ${w.target}?`, `Hard-reset ${w.target}?`)
      : say(w.lang, `Перезагрузить ${w.target}?`, `Reboot ${w.target}?`),
  render: (_out, { vm, lang }) =>
    say(
      lang,
      `🔄 ${vm} перезагружается; спросите «статус ${vm}» через минуту.`,
      `🔄 ${vm} is rebooting; ask for "status ${vm}" in a minute.`,
    ),
});
