/**
 * How the desk's answers become MCP tool results: the operator's words as text, the facts as
 * structured content, and every refusal or failure as a tool error with its reason in words.
 */
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import type { Lang } from "../core/desk.ts";
import { t } from "../core/desk-texts.ts";
import type { SubmitResult } from "../core/operator-desk.ts";
import { formatAge } from "../core/policy.ts";
import type { ActionResult } from "./mcp-tools.ts";

/** A tool error: the reason in words, for the model and the human reading along. */
export function toolError(text: string): CallToolResult {
  return { isError: true, content: [{ type: "text", text }] };
}

/** The text of a pending confirmation: the read-back, the id and how long it stays valid. */
export function pendingText(
  readBack: string,
  id: string,
  expiresAt: number,
  now: number,
  lang: Lang,
): string {
  const left = formatAge(Math.max(expiresAt - now, 0), lang);
  return t(
    lang,
    `Нужно подтверждение: ${readBack} Подтвердите инструментом confirm с id ${id} в течение ${left}; без подтверждения ничего не будет выполнено.`,
    `This needs a confirmation: ${readBack} Confirm with the confirm tool and id ${id} within ${left}; nothing runs until then.`,
  );
}

/** Shapes a desk result as a tool result; anything refused or failed is a tool error. */
export function submitToolResult(result: SubmitResult, lang: Lang, now: number): CallToolResult {
  switch (result.kind) {
    case "invalid":
      return toolError(t(lang, `Запрос не принят: ${result.message}`, `Not accepted: ${result.message}`));
    case "denied":
      return toolError(t(lang, `Отказано: ${result.message}`, `Refused: ${result.message}`));
    case "confirm": {
      const text = pendingText(result.readBack, result.id, result.expiresAt, now, lang);
      const structured: ActionResult = {
        status: "pending-confirmation",
        text,
        confirmationId: result.id,
        readBack: result.readBack,
        expiresAt: new Date(result.expiresAt).toISOString(),
      };
      return { content: [{ type: "text", text }], structuredContent: structured };
    }
    case "done": {
      const failed =
        result.results.some((r) => r.outcome && !r.outcome.ok) ||
        result.results.some((r) => r.reboot && !r.reboot.accepted);
      if (failed) return toolError(result.text);
      const structured: ActionResult = {
        status: "ok",
        text: result.text,
        results: result.results.map((r) => ({
          vm: r.vm,
          ok: r.outcome ? r.outcome.ok : (r.reboot?.accepted ?? false),
          ...(r.outcome?.output !== undefined ? { output: r.outcome.output } : {}),
          ...(r.outcome?.error
            ? { error: { code: r.outcome.error.code, message: r.outcome.error.message } }
            : {}),
        })),
      };
      return { content: [{ type: "text", text: result.text }], structuredContent: structured };
    }
  }
}
