/**
 * Asking the human through the MCP client (elicitation): the read-back text and a yes/no answer.
 * Used for the actions that need a confirmation when the client says it can ask.
 */
import type { Server } from "@modelcontextprotocol/sdk/server/index.js";
import type { RequestId } from "@modelcontextprotocol/sdk/types.js";
import type { Actor } from "../core/actors.ts";
import type { Lang } from "../core/desk.ts";
import { refusalText, t } from "../core/desk-texts.ts";
import type { OperatorDesk, SubmitResult } from "../core/operator-desk.ts";
import { mcpText } from "./mcp-texts.ts";

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

/** A confirmation waiting for the human: its id and the request read back. */
export interface PendingConfirmation {
  readonly id: string;
  readonly readBack: string;
}

/**
 * Settles a pending confirmation by asking the human through the client (the one flow for actions
 * and for `ask`): the desk's result when they answered yes, a refusal when they said no or the
 * confirmation is no longer open, undefined when the client cannot ask (the pending answer stands).
 */
export async function confirmThroughClient(
  server: Server,
  desk: OperatorDesk,
  actor: Actor,
  pending: PendingConfirmation,
  callId: RequestId,
  lang: Lang,
): Promise<SubmitResult | undefined> {
  if (!canElicit(server)) return undefined;
  const answer = await askForConfirmation(server, callId, pending.readBack, lang);
  if (answer === "unavailable") return undefined;
  const settled = await desk.confirm(actor, pending.id, answer !== "yes", lang);
  if (settled.kind === "refused")
    return { kind: "invalid", message: refusalText(lang, `confirm-${settled.refusal}`) };
  if (answer !== "yes") return { kind: "denied", message: mcpText("not-confirmed", lang) };
  return settled;
}
