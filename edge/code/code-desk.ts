/**
 * Code requests at the desk: find the service (ask when unclear, never guess), let its engine read
 * and propose, build the diff, and put it up for a one-time, expiring, requester-only confirmation.
 * Apply runs `code-apply` through the gate; a success comes back with a Revert valid for a day.
 */

import { codeApply } from "../../protocol/actions/code-apply.ts";
import type { Inventory } from "../../protocol/inventory.ts";
import { type Actor, roleAtLeast } from "../core/actors.ts";
import type { Controller } from "../core/controller.ts";
import type { CreatedServices } from "../core/created-services.ts";
import { creationActions } from "../core/creation-outcome-text.ts";
import type { Lang, Reply } from "../core/desk.ts";
import type { OperatorDesk } from "../core/operator-desk.ts";
import { outcomeText } from "../core/reply-text.ts";
import { type StepDuration, stepDurations, stepNote } from "../core/step-notes.ts";
import { t } from "../core/text.ts";
import { llmNeededText } from "../llm/llm-needed.ts";
import type { CodeEngine } from "./code-engine.ts";
import { findCodeTarget } from "./code-target.ts";
import { proposalReadBack, shortDiff } from "./code-texts.ts";
import { createCreationDesk } from "./creation-desk.ts";
import { readCreatedCommand, readCreation } from "./creation-words.ts";
import { engineFailureText } from "./engine-failure.ts";
import { buildProposal, type Proposal } from "./proposal.ts";
import { createSourceReader } from "./source-reader.ts";

/** How long a proposal may wait for Apply (10 min) and a Revert stays offered (a day). */
export const PROPOSAL_TTL_MS = 10 * 60_000;
export const REVERT_TTL_MS = 24 * 3_600_000;

/** A code request. */
export interface CodeAsk {
  readonly text: string;
  readonly lang: Lang;
  /** The service when the caller already knows it (the API route, the understanding layer). */
  readonly service?: string | undefined;
  readonly vm?: string | undefined;
  readonly onProgress?: (note: string) => void;
}

/** What became of a code request. */
export type CodeAnswer =
  | {
      readonly kind: "proposal";
      readonly proposal: Proposal;
      readonly confirmationId: string;
      readonly expiresAt: number;
      /** The engine's steps (reading, thinking, proposing) and how long each took. */
      readonly steps?: readonly StepDuration[];
      /** A creation's read-back (summary, files, the unit from the template) in place of a change's. */
      readonly readBack?: string;
      /** A creation's units, attached beside the diff. */
      readonly units?: string;
    }
  | { readonly kind: "ask" | "refused" | "not-configured" | "no-change" | "done"; readonly message: string }
  /** A confirmation waiting for Apply that is not a change (run or remove what voxops created). */
  | { readonly kind: "pending"; readonly message: string; readonly confirmationId: string };

/** What became of Apply (or a Revert). */
export interface ApplyAnswer {
  readonly ok: boolean;
  readonly text: string;
  readonly revertConfirmationId?: string;
  /** The sidecar's steps (snapshot, checks, restarting, verifying, …) and how long each took. */
  readonly steps?: readonly StepDuration[];
  /** A new script's offer to run it once now (its own confirmation). */
  readonly runConfirmationId?: string;
}

/** The code desk. */
export interface CodeDesk {
  ask(actor: Actor, request: CodeAsk): Promise<CodeAnswer>;
  /** Confirms a proposal (or a revert) and applies it; `onProgress` hears each step as a note. */
  apply(
    actor: Actor,
    confirmationId: string,
    lang: Lang,
    onProgress?: (note: string) => void,
  ): Promise<ApplyAnswer>;
  /** A desk reply for an answer: summary, short diff, the whole diff as a document when long, Apply/Cancel. */
  reply(answer: CodeAnswer, lang: Lang): Reply;
}

export interface CodeDeskOptions {
  readonly controller: Controller;
  readonly inventory: Inventory;
  readonly desk: () => OperatorDesk;
  /** Engines by kind; `built-in` is absent without an LLM. */
  readonly engines: { readonly builtIn?: CodeEngine; readonly agent?: CodeEngine };
  /** Why the LLM is not usable, when it is configured wrongly. */
  readonly llmProblems?: readonly string[];
  /** What voxops created; with it, "create a service/script" requests become creations. */
  readonly created?: CreatedServices;
}

/** Creates the code desk. */
export function createCodeDesk(options: CodeDeskOptions): CodeDesk {
  const { inventory, controller } = options;
  const creation = options.created
    ? createCreationDesk({
        inventory,
        desk: options.desk,
        engine: options.engines.builtIn,
        created: options.created,
        ...(options.llmProblems ? { llmProblems: options.llmProblems } : {}),
      })
    : undefined;
  async function ask(actor: Actor, req: CodeAsk): Promise<CodeAnswer> {
    const command = creation ? readCreatedCommand(req.text) : null;
    if (creation && command) return creation.command(actor, req, command);
    if (!roleAtLeast(actor.role, "operator"))
      return {
        kind: "refused",
        message: t(
          req.lang,
          "Менять код может оператор или администратор; у вас роль наблюдателя.",
          "Changing code needs the operator or admin role; yours is viewer.",
        ),
      };
    // Creation words win over a service the understanding layer heard: "create a service echo" when echo exists is refused, not a change to echo.
    const words = creation ? readCreation(req.text) : null;
    if (creation && words) return creation.ask(actor, req, words);
    const target = findCodeTarget(inventory, req);
    if (typeof target === "string") return { kind: "ask", message: target };
    const code = target.spec.code;
    if (!code) return { kind: "ask", message: "no source" };
    const engine = code.engine === "built-in" ? options.engines.builtIn : options.engines.agent;
    if (!engine)
      return {
        kind: "not-configured",
        message:
          code.engine === "built-in"
            ? `${llmNeededText(req.lang, options.llmProblems ?? [])} ${t(req.lang, `Или укажите внешнего агента в инвентаре: "code": {"engine": {"agent": ["claude", "-p", "{request}"]}} у ${target.spec.name}.`, `Or name an external coding agent in the inventory: "code": {"engine": {"agent": ["claude", "-p", "{request}"]}} on ${target.spec.name}.`)}`
            : t(
                req.lang,
                "Внешний агент указан в инвентаре, но этот контроллер не умеет его запускать.",
                "An external agent is named in the inventory, but this controller cannot run it.",
              ),
      };
    req.onProgress?.(
      t(req.lang, `📖 Читаю код ${target.spec.name}…`, `📖 Reading ${target.spec.name}'s code…`),
    );
    // The engine's steps on this controller's own clock (model and read time, for the API's answer).
    const marks: { step: string; at: number }[] = [{ step: "reading", at: Date.now() }];
    const reader = createSourceReader(controller, target.vm, target.spec.name, { ...actor, role: "viewer" });
    const result = await engine.propose({
      vm: target.vm,
      service: target.spec.name,
      code,
      request: req.text,
      lang: req.lang,
      reader,
      onProgress: (step) => {
        if (marks.at(-1)?.step !== step) marks.push({ step, at: Date.now() });
        req.onProgress?.(
          step === "proposing"
            ? t(req.lang, "✍️ Готовлю изменение…", "✍️ Writing the change…")
            : t(req.lang, `📖 Читаю код ${target.spec.name}…`, `📖 Reading ${target.spec.name}'s code…`),
        );
      },
    });
    marks.push({ step: "done", at: Date.now() });
    const audit = (outcome: string, detail: string) =>
      controller.audit.append({
        actor,
        action: "code-propose",
        target: `${target.spec.name}@${target.vm}`,
        args: { request: req.text.slice(0, 300), engine: engine.name },
        outcome,
        detail: detail.slice(0, 500),
      });
    if (!result.ok) {
      audit("no-change", engineFailureText(result.failure, "en"));
      return {
        kind: "no-change",
        message: `${t(req.lang, "Изменения нет.", "No change was proposed.")} ${engineFailureText(result.failure, req.lang)}`,
      };
    }
    const built = await buildProposal(
      {
        vm: target.vm,
        service: target.spec.name,
        request: req.text,
        summary: result.summary,
        ...(result.endpoint ? { endpoint: result.endpoint } : {}),
      },
      result.changes,
      code,
    );
    if (!built.ok) {
      const failure = { kind: "change", problem: built.problem } as const;
      audit("refused", engineFailureText(failure, "en"));
      return { kind: "refused", message: engineFailureText(failure, req.lang) };
    }
    const p = built.proposal;
    audit("proposed", `diff sha256 ${p.diffSha256}; ${p.files.length} files, +${p.added} -${p.removed}`);
    const submitted = await options.desk().submit(actor, {
      action: "code-apply",
      args: {
        service: p.service,
        request: p.request.slice(0, 500),
        files: p.files,
        diffSha256: p.diffSha256,
        lang: req.lang,
        ...(p.endpoint ? { endpoint: p.endpoint } : {}),
      },
      vms: [p.vm],
      lang: req.lang,
      origin: `code request: ${req.text.slice(0, 120)}`,
      forceConfirm: true,
      readBack: proposalReadBack(p, req.lang),
      ttlMs: PROPOSAL_TTL_MS,
    });
    if (submitted.kind === "confirm")
      return {
        kind: "proposal",
        proposal: p,
        confirmationId: submitted.id,
        expiresAt: submitted.expiresAt,
        steps: stepDurations(marks),
      };
    if (submitted.kind === "invalid" || submitted.kind === "denied")
      return { kind: "refused", message: submitted.message };
    return {
      kind: "refused",
      message: t(
        req.lang,
        "Изменение не было поставлено на подтверждение.",
        "The change was not put up for confirmation.",
      ),
    };
  }

  async function apply(
    actor: Actor,
    id: string,
    lang: Lang,
    onProgress?: (note: string) => void,
  ): Promise<ApplyAnswer> {
    const desk = options.desk();
    const marks: { step: string; at: number }[] = [];
    // Only the sidecar's steps are shown: the desk's generic note would name the action, not the step.
    const r = await desk.confirm(actor, id, false, lang, {
      onStep: (step, at) => {
        marks.push({ step, at });
        const note = stepNote(step, lang);
        if (note) onProgress?.(note);
      },
    });
    if (r.kind === "refused")
      return { ok: false, text: desk.toReply({ kind: "invalid", message: r.message }, lang).text };
    if (r.kind !== "done") return { ok: false, text: desk.toReply(r, lang).text };
    const outcome = r.results[0]?.outcome;
    if (!outcome) return { ok: false, text: r.text };
    // Worded in the language of whoever confirmed it, from the output checked against its schema
    // (or the "unreadable answer" sentence naming the sidecar's version).
    const sidecarVersion =
      options.controller.fleet().find((v) => v.vm === outcome.vm)?.sidecarVersion ?? null;
    const text = outcomeText(outcome, lang, { sidecarVersion });
    if (creation && creationActions.has(outcome.action)) {
      const after = await creation.afterApply(actor, outcome, lang, text);
      return {
        ok: outcome.ok,
        text: after.text,
        ...(after.runConfirmationId ? { runConfirmationId: after.runConfirmationId } : {}),
      };
    }
    const steps = stepDurations(marks);
    const parsed =
      outcome.ok && outcome.action === "code-apply" ? codeApply.output.safeParse(outcome.output) : null;
    if (!parsed?.success) return { ok: outcome.ok, text, steps };
    const { service, commit } = parsed.data;
    if (commit === null) return { ok: true, text, steps };
    const revert = await desk.submit(actor, {
      action: "code-revert",
      args: { service, commit, lang },
      vms: [outcome.vm],
      lang,
      origin: `revert of ${commit.slice(0, 12)}`,
      forceConfirm: true,
      readBack: t(
        lang,
        `Откатить изменение ${commit.slice(0, 12)} в ${service}?`,
        `Revert change ${commit.slice(0, 12)} of ${service}?`,
      ),
      ttlMs: REVERT_TTL_MS,
    });
    return {
      ok: true,
      text,
      steps,
      ...(revert.kind === "confirm" ? { revertConfirmationId: revert.id } : {}),
    };
  }

  return {
    ask,
    apply,
    reply(answer, lang) {
      if (answer.kind === "pending")
        return {
          lang,
          text: answer.message,
          buttons: [
            [
              { label: t(lang, "✅ Да", "✅ Yes"), data: `ca:${answer.confirmationId}` },
              { label: t(lang, "✖ Отмена", "✖ Cancel"), data: `cx:${answer.confirmationId}` },
            ],
          ],
          pendingConfirmation: true,
        };
      if (answer.kind !== "proposal") return { lang, text: answer.message };
      const p = answer.proposal;
      const diff = shortDiff(p.diff);
      const minutes = Math.round(PROPOSAL_TTL_MS / 60_000);
      return {
        lang,
        text: [
          `📝 ${answer.readBack ?? proposalReadBack(p, lang)}`,
          diff.text,
          diff.cut
            ? t(lang, "(весь diff — в приложенном файле)", "(the whole diff is in the attached file)")
            : "",
          t(
            lang,
            `Кнопки действуют ${minutes} мин и только для вас.`,
            `The buttons work for ${minutes} min and only for you.`,
          ),
        ]
          .filter(Boolean)
          .join("\n"),
        buttons: [
          [
            { label: t(lang, "✅ Применить", "✅ Apply"), data: `ca:${answer.confirmationId}` },
            { label: t(lang, "✖ Отмена", "✖ Cancel"), data: `cx:${answer.confirmationId}` },
          ],
        ],
        pendingConfirmation: true,
        confirmation: { id: answer.confirmationId, kind: "code-change" },
        ...(diff.cut
          ? {
              document: {
                name: `${p.service}.diff`,
                text: answer.units ? `${p.diff}\n${answer.units}` : p.diff,
              },
            }
          : {}),
      };
    },
  };
}

/** The desk reply for an applied (or failed) change, with the Revert button when there is one. */
export function applyReply(answer: ApplyAnswer, lang: Lang): Reply {
  return {
    lang,
    text: answer.text,
    ...(answer.revertConfirmationId
      ? {
          buttons: [
            [{ label: t(lang, "↩️ Откатить", "↩️ Revert"), data: `cf:${answer.revertConfirmationId}` }],
          ],
        }
      : answer.runConfirmationId
        ? {
            buttons: [
              [
                {
                  label: t(lang, "▶️ Запустить сейчас", "▶️ Run it now"),
                  data: `cf:${answer.runConfirmationId}`,
                },
              ],
            ],
          }
        : {}),
  };
}
