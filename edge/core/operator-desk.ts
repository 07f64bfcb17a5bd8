/**
 * The operator's desk: words → understanding → policy gate → (confirmation) → actions on the VMs →
 * a short reply. Telegram, the HTTPS text endpoint and the CLI all come through here.
 */

import { type ActionName, isActionName, parseAction } from "../../protocol/actions/catalog.ts";
import { type NextStep, nextStep } from "../understand/to-action.ts";
import type { Actor } from "./actors.ts";
import { clarifyingQuestion } from "./clarifying-question.ts";
import type { Lang, Reply, TextRequest } from "./desk.ts";
import { createDeskContext } from "./desk-context.ts";
import { createDeskExecution } from "./desk-execution.ts";
import type { ButtonHandler, CodeTextHandler, DeskExtensions } from "./desk-extensions.ts";
import { createDeskGate } from "./desk-gate.ts";
import { createDeskLlm } from "./desk-llm.ts";
import type { DeskOptions, OperatorDesk } from "./desk-options.ts";
import { createDeskQuestions } from "./desk-questions.ts";
import { helpText, refusalText, t } from "./desk-texts.ts";
import { stepNote } from "./step-notes.ts";
import type { Submission } from "./submission.ts";
import { uncertainVoice } from "./uncertain-voice.ts";

export type { DeskOptions, OperatorDesk, RebootStatus } from "./desk-options.ts";
export type { RebootPort, Submission, SubmitResult, VmResult } from "./submission.ts";
export type { ButtonHandler, CodeTextHandler, DeskExtensions };

/** Creates the desk. */
export function createOperatorDesk(options: DeskOptions): OperatorDesk {
  const { inventory } = options;
  const audit = options.controller.audit;
  const ctx = createDeskContext(options);
  const execution = createDeskExecution(ctx);
  const { submit, confirm, toReply } = createDeskGate(ctx, execution);
  const { askReply, unknownVmReply, whichServiceReply } = createDeskQuestions(ctx);
  const run = async (actor: Actor, sub: Submission): Promise<Reply> =>
    toReply(await submit(actor, sub), sub.lang);
  const { viaLlm } = createDeskLlm(ctx, { submit, run });
  const { rebootStatus } = execution;

  /** Asks for what is missing, or runs at once when only the VM is missing and there is just one. */
  async function askOrRun(
    request: TextRequest,
    step: Extract<NextStep, { kind: "ask" }>,
    action: ActionName | undefined,
    lang: Lang,
    service: string | undefined,
    unknownService: string | undefined,
    unknownVm?: string,
  ): Promise<Reply> {
    if (unknownVm !== undefined && step.missing.includes("vm")) return unknownVmReply(unknownVm, lang);
    const only = inventory.vms.length === 1 ? inventory.vms[0]?.name : undefined;
    if (
      only !== undefined &&
      action !== undefined &&
      step.missing.every((m) => m === "vm") &&
      (unknownService === undefined || service !== undefined)
    )
      return run(request.actor, {
        action,
        args: service ? { service } : {},
        vms: [only],
        lang,
        origin: `text: ${request.text.slice(0, 120)}`,
        ...(request.onProgress ? { onProgress: request.onProgress } : {}),
      });
    return askReply(step, action, lang, service, unknownService);
  }

  return {
    toReply,
    submit,
    confirm,
    rebootStatus,

    async handleText(request: TextRequest): Promise<Reply> {
      const u = options.understander.understand(request.text, request.lang ? { lang: request.lang } : {});
      const lang = u.lang;
      const claims = options.codeClaims ?? options.extensions?.codeClaims();
      const claimed = claims?.(request.text) ? (options.code ?? options.extensions?.code()) : undefined;
      if (claimed) return claimed(request.actor, request.text, lang, undefined, request.onProgress);
      const step = nextStep(u, inventory);
      switch (step.kind) {
        case "help":
          return { lang, text: helpText(lang, inventory) };
        case "nothing":
          audit.append({
            actor: request.actor,
            action: "understand",
            target: "-",
            outcome: "nothing",
            detail: `${step.reason}: ${request.text.slice(0, 200)}`,
          });
          return { lang, text: refusalText(lang, u.reason ?? step.reason), outcome: "not-understood" };
        case "ask":
          return askOrRun(
            request,
            step,
            isActionName(step.intent) ? step.intent : undefined,
            lang,
            typeof u.args.service === "string" ? u.args.service : undefined,
            u.unknownService,
            u.unknownVm,
          );
        case "llm": {
          const code = options.code ?? options.extensions?.code();
          if (u.intent === "code" && code)
            return code(
              request.actor,
              request.text,
              lang,
              typeof u.args.service === "string" ? u.args.service : undefined,
              request.onProgress,
            );
          // Without an LLM, an abstained changing request becomes a question back, never a guess.
          if (!options.llm?.agent && u.reason === "unexplained")
            return { lang, text: clarifyingQuestion(u, lang) };
          return viaLlm(request.actor, request.text, lang, step.proposable);
        }
        case "action":
          return run(request.actor, {
            action: step.action,
            args: step.args,
            vms: [...step.vms],
            lang,
            origin: `${request.spoken ? "voice" : "text"}: ${request.text.slice(0, 120)}`,
            ...(request.onProgress ? { onProgress: request.onProgress } : {}),
            ...(uncertainVoice(request, u) ? { forceConfirm: true } : {}),
          });
      }
    },

    async handleButton({ actor, data, lang = "en", onProgress }): Promise<Reply> {
      const [kind, ...rest] = data.split(":");
      if (kind === "cf" || kind === "cx") {
        const result = await confirm(
          actor,
          rest.join(":"),
          kind === "cx",
          lang,
          // Only the sidecar's steps (a code change's checks, restart, …) are worth a status message here.
          onProgress
            ? {
                onStep: (step) => {
                  const note = stepNote(step, lang);
                  if (note) onProgress(note);
                },
              }
            : {},
        );
        if (result.kind === "refused") return { lang, text: refusalText(lang, `confirm-${result.refusal}`) };
        return toReply(result, lang);
      }
      if (kind === "do") {
        const [action = "", vm = "", service] = rest;
        if (service === undefined && isActionName(action) && !parseAction(action, {}).ok)
          return whichServiceReply(action, vm, lang);
        return run(actor, { action, args: service ? { service } : {}, vms: [vm], lang, origin: "button" });
      }
      const handler =
        kind === undefined ? undefined : (options.buttons?.[kind] ?? options.extensions?.button(kind));
      const reply = handler ? await handler(actor, data, lang, onProgress) : undefined;
      return (
        reply ?? { lang, text: t(lang, "Эта кнопка больше не действует.", "This button no longer works.") }
      );
    },
  };
}
