/** The `probe` action: ask this VM's sidecar to probe a peer VM's sidecar now. */
import * as z from "zod";
import { defineAction, say } from "../action-definition.ts";
import { shownText } from "../shown-text.ts";

/** The `probe` definition. */
export const probe = defineAction({
  name: "probe",
  summary: { en: "probe a peer VM's sidecar now", ru: "проверить соседнюю VM прямо сейчас" },
  noun: { en: "peer probe", ru: "проверка соседней VM" },
  args: z.object({ vm: z.string().regex(/^[a-z0-9][a-z0-9-]{0,31}$/) }).strict(),
  output: z.object({ reached: z.boolean(), detail: z.string().optional() }),
  risk: "read",
  confirm: false,
  llm: "never",
  http: null,
  // Not an MCP tool: a sidecar runs it for its peer; no caller asks for it.
  mcp: "internal",
  readBack: (a, w) =>
    say(
      w.lang,
      `Проверить с ${w.target}, отвечает ли ${a.vm}?`,
      `Check from ${w.target} whether ${a.vm} answers?`,
    ),
  render: (out, { vm, lang }) => {
    const detail = out.detail ? ` (${shownText(out.detail, 200)})` : "";
    return out.reached
      ? say(lang, `✅ ${vm}: соседняя VM отвечает${detail}.`, `✅ ${vm}: the peer VM answers${detail}.`)
      : say(
          lang,
          `⚠️ ${vm}: соседняя VM не ответила${detail}.`,
          `⚠️ ${vm}: the peer VM did not answer${detail}.`,
        );
  },
});
