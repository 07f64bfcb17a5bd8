/**
 * The LLM's read-only tool calls as the person who asked: each one is a desk submission through the
 * policy gate (their role, their rate limit) and is audited under their name, like a read they typed.
 */
import type { ReadPort } from "../llm/agent.ts";
import type { Actor } from "./actors.ts";
import type { Confirmations } from "./confirmations.ts";
import type { Lang } from "./desk.ts";
import type { Submission, SubmitResult } from "./submission.ts";

/** How much of one read's output the model is given. */
const MAX_READ_CHARS = 8000;

/** Builds the reader the agent uses for one person's request. */
export function gatedReads(options: {
  readonly actor: Actor;
  readonly lang: Lang;
  readonly submit: (actor: Actor, submission: Submission) => Promise<SubmitResult>;
  readonly confirmations: Pick<Confirmations, "cancel">;
}): ReadPort {
  const { actor, lang } = options;
  return async (call) => {
    const result = await options.submit(actor, {
      action: call.action,
      args: { ...call.args },
      vms: [call.vm],
      lang,
      origin: "llm read",
    });
    switch (result.kind) {
      case "done": {
        const outcome = result.results[0]?.outcome;
        if (!outcome) throw new Error("the read did not run");
        return JSON.stringify(outcome.ok ? outcome.output : outcome.error).slice(0, MAX_READ_CHARS);
      }
      case "confirm":
        // A read the gate wants confirmed is not run behind the person's back: withdrawn, and said so.
        options.confirmations.cancel(result.id, actor);
        throw new Error("the policy gate wants the operator to confirm this read; it did not run");
      case "denied":
      case "invalid":
        throw new Error(`the policy gate refused: ${result.message}`);
    }
  };
}
