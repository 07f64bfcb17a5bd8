/**
 * Requests the rules do not cover, through the LLM agent: its reads run as the person asking, its
 * proposals go through the gate with a forced confirmation, and refusals are told, never hidden.
 */
import type { ActionName } from "../../protocol/actions/catalog.ts";
import { llmErrorText } from "../llm/llm-error-text.ts";
import { llmNeededText } from "../llm/llm-needed.ts";
import type { Actor } from "./actors.ts";
import type { Lang, Reply } from "./desk.ts";
import type { DeskContext } from "./desk-context.ts";
import { t } from "./desk-texts.ts";
import { gatedReads } from "./llm-reads.ts";
import { clip } from "./reply-text.ts";
import type { Submission, SubmitResult } from "./submission.ts";

/** What the LLM part needs of the desk. */
export interface DeskLlmPorts {
  submit(actor: Actor, sub: Submission): Promise<SubmitResult>;
  run(actor: Actor, sub: Submission): Promise<Reply>;
}

/** Creates the LLM part: `viaLlm` answers one request. */
export function createDeskLlm(
  ctx: DeskContext,
  { submit, run }: DeskLlmPorts,
): { viaLlm(actor: Actor, text: string, lang: Lang, proposable: readonly ActionName[]): Promise<Reply> } {
  const { options } = ctx;
  const { confirmations } = options;
  async function viaLlm(
    actor: Actor,
    text: string,
    lang: Lang,
    proposable: readonly ActionName[],
  ): Promise<Reply> {
    const agent = options.llm?.agent;
    if (!agent)
      return { lang, text: llmNeededText(lang, options.llm?.problems ?? []), outcome: "llm-missing" };
    const read = gatedReads({ actor, lang, submit, confirmations });
    const outcome = await agent.ask({ text, lang, proposable, read });
    if (!outcome.ok)
      return {
        lang,
        text: `⚠️ ${llmErrorText(outcome.error, lang)}`,
        outcome: "llm-failed",
      };
    const replies: Reply[] = [];
    for (const p of outcome.proposals)
      replies.push(
        await run(actor, {
          action: p.action,
          args: { ...p.args },
          vms: [p.vm],
          lang,
          origin: "llm proposal",
          forceConfirm: true,
        }),
      );
    // The check's reason is the gate's technical detail (a schema message), quoted for a Russian reader.
    const refused = outcome.refused.map((r) =>
      t(lang, `⛔ Вызов ${r.tool} отклонён: «${r.reason}».`, `⛔ ${r.tool}: ${r.reason}`),
    );
    // Nothing pending and nothing done: the worst of the proposals (or the refused tool calls) decides.
    const outcomes = replies.map((r) => r.outcome);
    const worst = replies.some((r) => r.pendingConfirmation)
      ? undefined
      : outcomes.includes("failed")
        ? "failed"
        : (replies.length > 0 && outcomes.every((o) => o === "denied")) ||
            (replies.length === 0 && refused.length > 0)
          ? "denied"
          : outcomes.find((o) => o !== undefined);
    return {
      lang,
      ...(worst ? { outcome: worst } : {}),
      // When everything the model proposed was refused, its own words ("Done.") would read as success.
      text: clip(
        [
          worst === "denied"
            ? t(
                lang,
                "Ничего не сделано: все предложенные действия отклонены.",
                "Nothing was done: every proposed action was refused.",
              )
            : outcome.text,
          ...refused,
          ...replies.map((r) => r.text),
        ]
          .filter(Boolean)
          .join("\n\n"),
      ),
      ...(replies.some((r) => r.buttons)
        ? { buttons: replies.flatMap((r) => r.buttons ?? []), pendingConfirmation: true }
        : {}),
      // The first proposal waiting for a yes is the one an API caller confirms; Telegram shows each one's buttons.
      ...pendingOf(replies),
    };
  }

  return { viaLlm };
}

/** The first confirmation a list of replies waits for, as a reply's field. */
function pendingOf(replies: readonly Reply[]): Pick<Reply, "confirmation"> {
  const confirmation = replies.find((r) => r.confirmation)?.confirmation;
  return confirmation ? { confirmation } : {};
}
