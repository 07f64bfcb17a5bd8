/**
 * The operator's desk: words → understanding → policy gate → (confirmation) → actions on the VMs →
 * a short reply. Telegram, the HTTPS text endpoint and the CLI all come through here.
 */

import { type ActionName, definitionOf, isActionName, parseAction } from "../../protocol/actions/catalog.ts";
import type { Inventory } from "../../protocol/inventory.ts";
import type { LlmAgent } from "../llm/agent.ts";
import { llmNeededText } from "../llm/llm-needed.ts";
import { type NextStep, nextStep } from "../understand/to-action.ts";
import type { Understander } from "../understand/understand.ts";
import type { Actor } from "./actors.ts";
import { clarifyingQuestion } from "./clarifying-question.ts";
import { CONFIRM_TTL_MS, type Confirmations, type PendingRequest } from "./confirmations.ts";
import type { CommandOutcome, Controller } from "./controller.ts";
import type { Desk, Lang, Reply, ReplyButton, TextRequest } from "./desk.ts";
import type { ButtonHandler, CodeTextHandler, DeskExtensions } from "./desk-extensions.ts";
import { helpText, refusalText, t } from "./desk-texts.ts";
import { gatedReads } from "./llm-reads.ts";
import { formatAge, type PolicyGate, readBack as policyReadBack } from "./policy.ts";
import { unmetPrecondition } from "./preconditions.ts";
import {
  isFailedStage,
  isFinalStage,
  type RebootProgress,
  rebootReportText,
  waitForRebootStage,
} from "./reboot-report.ts";
import { clip, outcomeText } from "./reply-text.ts";
import { type RebootAnswer, rollingReboot } from "./rolling-reboot.ts";
import { type CommandProgress, stepNote } from "./step-notes.ts";
import type { RebootPort, Submission, SubmitResult, VmResult } from "./submission.ts";
import { uncertainVoice } from "./uncertain-voice.ts";

export type { RebootPort, Submission, SubmitResult, VmResult } from "./submission.ts";

/** The desk with its structured entry points for the HTTPS API. */
export interface OperatorDesk extends Desk {
  /** The reply a front end shows for a result: the text, and confirmation buttons when one is pending. */
  toReply(result: SubmitResult, lang: Lang): Reply;
  submit(actor: Actor, submission: Submission): Promise<SubmitResult>;
  /** Confirms or cancels a pending request; `lang` is the caller's language for a refusal. */
  confirm(
    actor: Actor,
    id: string,
    cancel?: boolean,
    lang?: Lang,
    progress?: CommandProgress,
  ): Promise<SubmitResult | { kind: "refused"; refusal: string; message: string }>;
  /** The last reboot asked of `vm`, as the operator reads it now (the API's follow-up poll). */
  rebootStatus(vm: string, lang: Lang): Promise<RebootStatus | undefined>;
}

/** A reboot's follow-up as the API shows it. */
export interface RebootStatus {
  readonly vm: string;
  readonly ref: string;
  readonly stage: RebootProgress["stage"];
  /** True once nothing more will happen to this reboot. */
  readonly final: boolean;
  /** True when it did not happen as asked (did not start, did not go down, did not come back). */
  readonly failed: boolean;
  readonly requestedAt: string;
  readonly at: string;
  readonly text: string;
}

export type { ButtonHandler, CodeTextHandler, DeskExtensions };

export interface DeskOptions {
  readonly controller: Controller;
  readonly inventory: Inventory;
  readonly understander: Understander;
  readonly gate: PolicyGate;
  readonly confirmations: Confirmations;
  readonly now: () => number;
  readonly llm?: { readonly agent?: LlmAgent; readonly problems?: readonly string[] };
  readonly reboot?: RebootPort;
  readonly buttons?: Readonly<Record<string, ButtonHandler>>;
  readonly timeoutMs?: number;
  /** Code requests (the understanding layer's `code` intent) go here when set; see edge/code/code-desk.ts. */
  readonly code?: CodeTextHandler;
  /** True for words the code hook takes whatever the understanding layer says ("list what voxops created"). */
  readonly codeClaims?: (text: string) => boolean;
  /** Buttons, reboots and code requests the runtime's plugins provide (used where the options above are unset). */
  readonly extensions?: DeskExtensions;
  /** How long a confirmation stays valid (default CONFIRM_TTL_MS, 60 s). */
  readonly confirmTtlMs?: number;
  /**
   * False when the inventory is only the sidecars' names (no VOXOPS_INVENTORY): then what a VM runs
   * is known only to its sidecar, and requests are not checked against the inventory first.
   */
  readonly inventoryDeclared?: boolean;
  /** How long a rolling reboot follows each VM before giving up on it (default 10 min). */
  readonly rebootWaitMs?: number;
  /** The last reboot asked of a VM, as far as it has got (the watchdog's record); enables the follow-up. */
  readonly rebootProgress?: (vm: string) => Promise<RebootProgress | undefined>;
  /** How long the first answer to a reboot waits for the sidecar to accept or refuse it (default 20 s). */
  readonly rebootAnswerWaitMs?: number;
}

/** Creates the desk. */
export function createOperatorDesk(options: DeskOptions): OperatorDesk {
  const { controller, inventory, gate, confirmations } = options;
  const audit = controller.audit;
  const ttlMs = options.confirmTtlMs ?? CONFIRM_TTL_MS;
  const label = (vm: string): string => {
    const role = inventory.vm(vm)?.role;
    return role && role !== vm ? `${vm} (${role})` : vm;
  };
  const heartbeatAge = (vm: string): number | null => {
    const at = controller.fleet().find((v) => v.vm === vm)?.lastSeenAt ?? null;
    return at === null ? null : options.now() - at;
  };
  /** "→ restart grok-voice on vm1 (main)" / "→ перезапуск grok-voice на vm1 (main)": what runs where, in one language. */
  const summary = (
    action: string,
    args: Record<string, unknown>,
    vms: readonly string[],
    lang: Lang,
  ): string => {
    const noun = definitionOf(action)?.noun ?? { ru: action, en: action };
    const service = typeof args["service"] === "string" ? ` ${args["service"]}` : "";
    const on = vms.map(label).join(lang === "ru" ? " и " : " and ");
    return lang === "ru" ? `→ ${noun.ru}${service} на ${on}` : `→ ${noun.en}${service} on ${on}`;
  };

  /**
   * A command cut off by a sidecar restart may well have finished: for a service action, ask the VM
   * for the unit's state now so the reply can say it (`output.stateNow`); nothing is run again.
   */
  async function withStateNow(
    outcome: CommandOutcome,
    args: Readonly<Record<string, unknown>>,
    actor: Actor,
  ): Promise<CommandOutcome> {
    const service = args["service"];
    if (outcome.ok || outcome.error?.code !== "interrupted" || typeof service !== "string") return outcome;
    const now = await controller.dispatch({ vm: outcome.vm, action: "status", args: { service }, actor });
    const state = now.ok
      ? (
          now.output as { services?: { name: string; state: string; since: string | null }[] } | undefined
        )?.services?.find((x) => x.name === service)
      : undefined;
    return state ? { ...outcome, output: { stateNow: state } } : outcome;
  }

  async function execute(
    actor: Actor,
    request: PendingRequest,
    onProgress?: (note: string) => void,
    onStep?: (step: string, at: number) => void,
  ): Promise<SubmitResult> {
    const { action, args, vms, lang } = request;
    onProgress?.(summary(action, args, vms, lang));
    const rebootPort = options.reboot ?? options.extensions?.reboot();
    const progress = options.rebootProgress ?? options.extensions?.rebootProgress();
    // The first answer waits for the sidecar to accept or refuse, so "accepted" is never a guess.
    const rebootOne = async (vm: string): Promise<RebootAnswer> => {
      const answer = await (rebootPort as RebootPort)({
        vm,
        actor,
        reason: request.origin ?? "operator request",
        mode: args["mode"] === "hard" ? "hard" : "soft",
        lang,
      });
      if (!answer.accepted || answer.ref === undefined || !progress) return answer;
      const p = await waitForRebootStage({
        read: () => progress(vm),
        ref: answer.ref,
        past: ["requested"],
        waitMs: options.rebootAnswerWaitMs ?? 20_000,
        now: options.now,
      });
      if (!p) return answer;
      return {
        accepted: !isFailedStage(p.stage),
        text: {
          ru: `${answer.text.ru}\n${rebootReportText(p, label(vm), vm, "ru")}`,
          en: `${answer.text.en}\n${rebootReportText(p, label(vm), vm, "en")}`,
        },
        ref: answer.ref,
      };
    };
    const follow = (vm: string, ref: string) =>
      progress
        ? waitForRebootStage({
            read: () => progress(vm),
            ref,
            past: ["requested", "accepted", "down"],
            waitMs: options.rebootWaitMs ?? 600_000,
            now: options.now,
            pollMs: 500,
          })
        : Promise.resolve(undefined);
    const results: readonly VmResult[] =
      action === "reboot" && rebootPort && vms.length > 1
        ? await rollingReboot({
            vms,
            reboot: rebootOne,
            follow,
            label,
            lang,
            ...(onProgress ? { onProgress } : {}),
          })
        : await Promise.all(
            vms.map(async (vm): Promise<VmResult> => {
              if (action === "reboot" && rebootPort) return { vm, reboot: await rebootOne(vm) };
              const outcome: CommandOutcome = await controller.dispatch({
                vm,
                action,
                args,
                actor,
                ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
                ...(onProgress || onStep
                  ? {
                      onProgress: (step: string, at: number) => {
                        onStep?.(step, at);
                        const note = stepNote(step, lang);
                        if (note) onProgress?.(vms.length > 1 ? `${vm}: ${note}` : note);
                      },
                    }
                  : {}),
              });
              return { vm, outcome: await withStateNow(outcome, args, actor) };
            }),
          );
    const sidecarVersion = (vm: string) =>
      controller.fleet().find((v) => v.vm === vm)?.sidecarVersion ?? null;
    const texts = results.map((r) =>
      r.reboot
        ? r.reboot.text[lang]
        : r.outcome
          ? outcomeText(r.outcome, lang, { sidecarVersion: sidecarVersion(r.vm) })
          : "",
    );
    return {
      kind: "done",
      results,
      text: clip(`${summary(action, args, vms, lang)}\n${texts.join("\n\n")}`),
    };
  }

  function toReply(result: SubmitResult, lang: Lang): Reply {
    switch (result.kind) {
      case "invalid":
        return { lang, text: `⚠️ ${result.message}`, outcome: "invalid" };
      case "denied":
        return { lang, text: `⛔ ${result.message}`, outcome: "denied" };
      case "done": {
        const failed =
          result.results.some((r) => r.outcome && !r.outcome.ok) ||
          result.results.some((r) => r.reboot && !r.reboot.accepted);
        return { lang, text: result.text, ...(failed ? { outcome: "failed" as const } : {}) };
      }
      case "confirm":
        return {
          lang,
          text: `❓ ${result.readBack}\n${t(lang, `Подтвердите в течение ${formatAge(ttlMs, "ru")}.`, `Confirm within ${formatAge(ttlMs, "en")}.`)}`,
          pendingConfirmation: true,
          confirmation: { id: result.id, kind: "action" },
          buttons: [
            [
              { label: t(lang, "✅ Да", "✅ Yes"), data: `cf:${result.id}` },
              { label: t(lang, "✖ Отмена", "✖ Cancel"), data: `cx:${result.id}` },
            ],
          ],
        };
    }
  }

  /** Runs an action on VMs through the gate: refused, asked to confirm, or done. */
  async function submit(actor: Actor, sub: Submission): Promise<SubmitResult> {
    const { action, vms, lang, origin, onProgress } = sub;
    const parsed = parseAction(action, withRelativePaths(sub.args));
    // Refused names (shell characters, "..", unknown services or VMs) are audited: they may be probes.
    const invalid = (message: string): SubmitResult => {
      audit.append({
        actor,
        action: parsed.ok ? parsed.action : action.slice(0, 40),
        target: vms.join(",").slice(0, 200) || "-",
        args: clippedArgs(sub.args),
        outcome: "refused: invalid",
        detail: `${message} (${origin ?? "request"})`.slice(0, 500),
      });
      return { kind: "invalid", message };
    };
    if (!parsed.ok) return invalid(parsed.message);
    const unknown = vms.filter((vm) => !inventory.vm(vm));
    if (unknown.length > 0 || vms.length === 0)
      return invalid(
        t(lang, `Нет такой VM: ${unknown.join(", ")}.`, `No such VM: ${unknown.join(", ") || "(none)"}.`),
      );
    const unmet =
      options.inventoryDeclared === false
        ? undefined
        : unmetPrecondition(inventory, parsed.action, parsed.args, vms, lang);
    if (unmet) return invalid(unmet);
    const readBacks: string[] = [];
    for (const vm of vms.length > 1 ? ["all"] : vms) {
      const decision = gate.decide({
        actor,
        action: parsed.action,
        args: parsed.args,
        vm,
        lang,
        ...(vm === "all" ? { names: vms.map(label) } : {}),
        target: {
          role: inventory.vm(vm)?.role ?? "",
          heartbeatAgeMs: vm === "all" ? null : heartbeatAge(vm),
        },
      });
      if (decision.verdict === "deny") {
        audit.append({
          actor,
          action: parsed.action,
          target: vms.join(","),
          args: parsed.args,
          outcome: "denied",
          detail: decision.message,
        });
        return {
          kind: "denied",
          message: decision.message,
          ...(decision.retryAfterMs ? { retryAfterMs: decision.retryAfterMs } : {}),
        };
      }
      if (decision.verdict === "confirm") readBacks.push(decision.readBack);
    }
    const request: PendingRequest = {
      action: parsed.action,
      args: parsed.args,
      vms,
      lang,
      readBack: readBacks.join(" "),
      ...(origin ? { origin } : {}),
    };
    if ((readBacks.length === 0 && !sub.forceConfirm) || sub.skipConfirm) {
      if (sub.skipConfirm && readBacks.length > 0)
        audit.append({
          actor,
          action: parsed.action,
          target: vms.join(","),
          args: parsed.args,
          outcome: "confirmation-skipped",
          detail: "token may skip confirmations",
        });
      return execute(actor, request, onProgress);
    }
    // A confirmation the gate did not ask for (an LLM proposal, uncertain speech) reads back the same way.
    const readBack =
      [sub.readBack, readBacks.join(" ")].filter(Boolean).join("\n") ||
      (vms.length > 1 ? ["all"] : vms)
        .map((vm) =>
          policyReadBack({
            action: parsed.action,
            args: parsed.args,
            vm,
            lang,
            target: {
              role: inventory.vm(vm)?.role ?? "",
              heartbeatAgeMs: vm === "all" ? null : heartbeatAge(vm),
            },
          }),
        )
        .join(" ");
    const c = confirmations.create(actor, { ...request, readBack }, sub.ttlMs ?? ttlMs);
    audit.append({
      actor,
      action: parsed.action,
      target: vms.join(","),
      args: parsed.args,
      outcome: "confirmation-requested",
      ref: c.id,
      detail: readBack,
    });
    return { kind: "confirm", id: c.id, readBack, expiresAt: c.expiresAt };
  }

  async function confirm(
    actor: Actor,
    id: string,
    cancel = false,
    lang: Lang = "en",
    progress: CommandProgress = {},
  ) {
    const result = cancel ? confirmations.cancel(id, actor) : confirmations.consume(id, actor);
    if (!result.ok) {
      audit.append({ actor, action: "confirm", target: "-", outcome: `refused: ${result.refusal}`, ref: id });
      return {
        kind: "refused" as const,
        refusal: result.refusal,
        message: refusalText(lang, `confirm-${result.refusal}`),
      };
    }
    const req = result.confirmation.request;
    audit.append({
      actor,
      action: req.action,
      target: req.vms.join(","),
      args: req.args,
      outcome: cancel ? "cancelled" : "confirmed",
      ref: id,
    });
    if (cancel) return { kind: "done" as const, results: [], text: t(req.lang, "Отменено.", "Cancelled.") };
    // A question counts against the change rate limit only once it is confirmed and runs.
    if (isActionName(req.action))
      for (const vm of req.vms.length > 1 ? ["all"] : req.vms) {
        const refused = gate.charge({ actor, action: req.action, args: req.args, vm, lang: req.lang });
        if (refused) {
          audit.append({
            actor,
            action: req.action,
            target: req.vms.join(","),
            args: req.args,
            outcome: "denied",
            detail: refused.message,
            ref: id,
          });
          return {
            kind: "denied" as const,
            message: refused.message,
            ...(refused.retryAfterMs ? { retryAfterMs: refused.retryAfterMs } : {}),
          };
        }
      }
    return execute(actor, req, progress.onNote, progress.onStep);
  }

  const run = async (actor: Actor, sub: Submission): Promise<Reply> =>
    toReply(await submit(actor, sub), sub.lang);

  function askReply(
    step: Extract<NextStep, { kind: "ask" }>,
    action: ActionName | undefined,
    lang: Lang,
    service: string | undefined,
    unknownService: string | undefined,
  ): Reply {
    if (unknownService !== undefined && service === undefined)
      return unknownServiceReply(unknownService, lang);
    if (step.missing.includes("vm") && action && (step.candidates.vm?.length ?? 0) > 0) {
      const buttons: ReplyButton[] = (step.candidates.vm ?? []).map((vm) => ({
        label: label(vm),
        data: `do:${action}:${vm}${service ? `:${service}` : ""}`,
      }));
      const noun = definitionOf(action)?.noun ?? { ru: "действие", en: "action" };
      return {
        lang,
        text: t(
          lang,
          `На какой машине? (${noun.ru}${service ? ` ${service}` : ""})`,
          `On which VM? (${noun.en}${service ? ` ${service}` : ""})`,
        ),
        buttons: [buttons],
      };
    }
    if (step.missing.includes("service")) {
      const names = step.candidates.service?.length
        ? step.candidates.service
        : [...new Set(inventory.vms.flatMap((v) => v.services.map((s) => s.name)))];
      return {
        lang,
        text:
          names.length > 0
            ? t(
                lang,
                `Какой сервис? Известные: ${names.join(", ")}`,
                `Which service? Known: ${names.join(", ")}`,
              )
            : t(
                lang,
                "Какой сервис? В инвентаре нет ни одного сервиса: добавьте их в файл инвентаря (README, «Инвентарь»).",
                'Which service? The inventory lists no services: add them to the inventory file (README, "The inventory").',
              ),
      };
    }
    return {
      lang,
      text: t(
        lang,
        `Какая машина? ${inventory.vms.map((v) => label(v.name)).join(", ")}`,
        `Which VM? ${inventory.vms.map((v) => label(v.name)).join(", ")}`,
      ),
    };
  }

  /** The operator named a VM the inventory does not have: say so, list the known ones, run nothing. */
  function unknownVmReply(heard: string, lang: Lang): Reply {
    const known = inventory.vms.map((v) => label(v.name)).join(", ");
    return {
      lang,
      text: t(
        lang,
        `Не знаю машины «${heard.slice(0, 40)}»; ничего не запускаю. Известные машины: ${known}.`,
        `I don't know a VM called "${heard.slice(0, 40)}"; nothing was run. Known VMs: ${known}.`,
      ),
    };
  }

  /** The operator named a service the inventory does not have: say so and list the known ones. */
  function unknownServiceReply(heard: string, lang: Lang): Reply {
    const names = [...new Set(inventory.vms.flatMap((v) => v.services.map((x) => x.name)))];
    return {
      lang,
      text: t(
        lang,
        `Не знаю сервиса «${heard}». ${names.length > 0 ? `Известные: ${names.join(", ")}.` : "В инвентаре нет ни одного сервиса."}`,
        `I don't know a service called "${heard}". ${names.length > 0 ? `Known: ${names.join(", ")}.` : "The inventory lists no services."}`,
      ),
    };
  }

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

  /** A `do:` button for an action that needs a service but names none: ask which, with buttons. */
  function whichServiceReply(action: ActionName, vm: string, lang: Lang): Reply {
    const names = inventory.vm(vm)?.services.map((x) => x.name) ?? [];
    if (names.length === 0)
      return {
        lang,
        text: t(
          lang,
          `В инвентаре у ${vm} нет ни одного сервиса.`,
          `The inventory lists no services on ${vm}.`,
        ),
      };
    return {
      lang,
      text: t(lang, `Какой сервис на ${vm}?`, `Which service on ${vm}?`),
      buttons: [names.slice(0, 8).map((name) => ({ label: name, data: `do:${action}:${vm}:${name}` }))],
    };
  }

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
        text: t(
          lang,
          `⚠️ LLM недоступна: ${outcome.error.message}`,
          `⚠️ The LLM failed: ${outcome.error.message}`,
        ),
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
    const refused = outcome.refused.map((r) => `⛔ ${r.tool}: ${r.reason}`);
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

  async function rebootStatus(vm: string, lang: Lang): Promise<RebootStatus | undefined> {
    const p = await (options.rebootProgress ?? options.extensions?.rebootProgress())?.(vm);
    if (!p) return undefined;
    return {
      vm,
      ref: p.ref,
      stage: p.stage,
      final: isFinalStage(p.stage),
      failed: isFailedStage(p.stage),
      requestedAt: new Date(p.requestedAt).toISOString(),
      at: new Date(p.at).toISOString(),
      text: rebootReportText(p, label(vm), vm, lang),
    };
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

/** The first confirmation a list of replies waits for, as a reply's field. */
function pendingOf(replies: readonly Reply[]): Pick<Reply, "confirmation"> {
  const confirmation = replies.find((r) => r.confirmation)?.confirmation;
  return confirmation ? { confirmation } : {};
}

/**
 * Config and restore paths are relative to the VM's configured roots ("etc/nginx/nginx.conf"); an
 * absolute path names the same file, so its leading slash is dropped (any ".." is still refused).
 */
function withRelativePaths(args: Record<string, unknown>): Record<string, unknown> {
  const out = { ...args };
  for (const key of ["path", "file"])
    if (typeof out[key] === "string" && /^\/[^/]/.test(out[key] as string))
      out[key] = (out[key] as string).slice(1);
  return out;
}

/** The short string arguments of a refused request, for the audit (no file contents, no objects). */
function clippedArgs(args: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(args)
      .filter(([k, v]) => typeof v === "string" && k !== "content" && k !== "patch")
      .slice(0, 8)
      .map(([k, v]) => [k.slice(0, 40), (v as string).slice(0, 120)]),
  );
}
