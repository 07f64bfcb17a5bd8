/**
 * Asking the human through the MCP client (elicitation): the read-back text and a yes/no answer.
 * Used for the actions that need a confirmation when the client says it can ask.
 */
import type { Server } from "@modelcontextprotocol/sdk/server/index.js";
import type { RequestId } from "@modelcontextprotocol/sdk/types.js";
import type { Lang } from "../core/desk.ts";
import { t } from "../core/desk-texts.ts";

/** The human's answer, or `unavailable` when the client could not ask (the pending path applies). */
export type ElicitedAnswer = "yes" | "no" | "unavailable";

/** How long the human has to answer in the client before the call falls back to a pending confirmation. */
const ELICIT_TIMEOUT_MS = 55_000;

/** True when the connected client declared form elicitation. */
export function canElicit(server: Server): boolean {
  const elicitation = server.getClientCapabilities()?.elicitation;
  return elicitation !== undefined && (elicitation.form !== undefined || elicitation.url === undefined);
}

/**
 * Asks the human to confirm `readBack` through the client, on the stream of the tool call
 * `callId` (there is no standalone stream to send it on).
 */
export async function askForConfirmation(
  server: Server,
  callId: RequestId,
  readBack: string,
  lang: Lang,
): Promise<ElicitedAnswer> {
  try {
    const result = await server.elicitInput(
      {
        mode: "form",
        message: readBack,
        requestedSchema: {
          type: "object",
          properties: {
            confirm: {
              type: "boolean",
              title: t(lang, "Выполнить?", "Run it?"),
              description: t(lang, "Да — выполнить, нет — отменить.", "Yes runs it, no cancels it."),
            },
          },
          required: ["confirm"],
        },
      },
      { timeout: ELICIT_TIMEOUT_MS, relatedRequestId: callId },
    );
    return result.action === "accept" && result.content?.["confirm"] === true ? "yes" : "no";
  } catch {
    // The client failed to ask or timed out: the confirmation stays pending and is returned instead.
    return "unavailable";
  }
}
