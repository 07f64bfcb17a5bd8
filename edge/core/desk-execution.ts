/**
 * Running a confirmed (or unconfirmed) request on its VMs: the action through the controller, a reboot
 * through the reboot port (rolling across VMs, followed until it is back), and the reply's text.
 */
import type { Actor } from "./actors.ts";
import type { PendingRequest } from "./confirmations.ts";
import type { CommandOutcome } from "./controller.ts";
import type { Lang } from "./desk.ts";
import type { DeskContext } from "./desk-context.ts";
import type { RebootStatus } from "./desk-options.ts";
import { isFailedStage, isFinalStage, rebootReportText, waitForRebootStage } from "./reboot-report.ts";
import { clip, outcomeText } from "./reply-text.ts";
import { type RebootAnswer, rollingReboot } from "./rolling-reboot.ts";
import { stepNote } from "./step-notes.ts";
import type { RebootPort, SubmitResult, VmResult } from "./submission.ts";

/** The desk's execution. */
export interface DeskExecution {
  /** Runs the request on its VMs and says what happened. */
  execute(
    actor: Actor,
    request: PendingRequest,
    onProgress?: (note: string) => void,
    onStep?: (step: string, at: number) => void,
  ): Promise<SubmitResult>;
  /** The last reboot asked of `vm`, as the operator reads it now. */
  rebootStatus(vm: string, lang: Lang): Promise<RebootStatus | undefined>;
}

/** Creates the execution over the context's controller and reboot port. */
export function createDeskExecution(ctx: DeskContext): DeskExecution {
  const { options, label, summary } = ctx;
  const { controller } = options;
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
      results: results.map((r, i) => ({ ...r, text: texts[i] ?? "" })),
      text: clip(`${summary(action, args, vms, lang)}\n${texts.join("\n\n")}`),
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

  return { execute, rebootStatus };
}
