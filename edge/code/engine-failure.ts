/**
 * Why a code engine (built-in or external agent) proposed no change: one typed failure each, told in
 * the operator's language by `engineFailureText` (English also for the audit).
 */
import type { CommandOutcome } from "../core/controller.ts";
import type { Lang } from "../core/desk.ts";
import { failureHead } from "../core/failure-text.ts";
import { t } from "../core/text.ts";
import type { LlmError } from "../llm/llm-error.ts";
import { llmErrorText } from "../llm/llm-error-text.ts";
import { type ChangeProblem, changeProblemText } from "./change-problem.ts";

/** One reason an engine came back without a change. */
export type EngineFailure =
  /** The model call failed. */
  | { readonly kind: "llm"; readonly error: LlmError }
  /** The model answered in words and called no `propose_change`; `said` is its text. */
  | { readonly kind: "no-proposal"; readonly said: string }
  /** The model used its whole step budget without proposing. */
  | { readonly kind: "step-budget"; readonly steps: number }
  /** The service is set to the built-in engine; the agent engine was asked. */
  | { readonly kind: "wrong-engine"; readonly service: string }
  /** The coding agent ran past its deadline. */
  | { readonly kind: "agent-timeout"; readonly seconds: number }
  /** The coding agent exited with a non-zero code; `output` is its last lines. */
  | { readonly kind: "agent-exit"; readonly exitCode: number; readonly output: string }
  /** The service's source is not a git checkout, where the agent must run. */
  | { readonly kind: "agent-no-repo"; readonly root: string }
  /** The coding agent changed more files than the service allows. */
  | { readonly kind: "agent-too-many-files"; readonly limit: number }
  /** The agent's program is not installed on the VM. */
  | { readonly kind: "agent-missing"; readonly command: string }
  /** A variable the agent needs (`agentEnv`) has no value in `file` on the VM (or the sidecar's environment). */
  | { readonly kind: "agent-env-missing"; readonly variable: string; readonly file: string }
  /** The agent wrote the value of one of its secret variables into a file of its change. */
  | { readonly kind: "agent-leaked-secret"; readonly variable: string; readonly path: string }
  /** The agent did not run: the VM's failure (not connected, no answer, its own message, quoted). */
  | { readonly kind: "agent-failed"; readonly outcome: CommandOutcome }
  /** The agent ran, but the sidecar's answer does not fit `code-agent`'s output schema (an older or newer sidecar). */
  | { readonly kind: "agent-unreadable"; readonly vm: string; readonly sidecarVersion: string | null }
  /** A file of the change cannot be used. */
  | { readonly kind: "change"; readonly problem: ChangeProblem };

/** The failure in whole sentences: what happened and what to do next. */
export function engineFailureText(f: EngineFailure, lang: Lang): string {
  switch (f.kind) {
    case "llm":
      return llmErrorText(f.error, lang);
    case "no-proposal":
      return f.said
        ? t(
            lang,
            `Модель не предложила изменения, она ответила: «${f.said}». Уточните запрос.`,
            `The model proposed no change; it said: "${f.said}". Make the request more precise.`,
          )
        : t(
            lang,
            "Модель не предложила изменения. Уточните запрос.",
            "The model proposed no change. Make the request more precise.",
          );
    case "step-budget":
      return t(
        lang,
        `Модель не предложила изменения за ${f.steps} шагов. Назовите файл или место в коде точнее.`,
        `The model did not propose a change within ${f.steps} steps. Name the file or the place in the code more precisely.`,
      );
    case "wrong-engine":
      return t(
        lang,
        `У ${f.service} в инвентаре встроенный движок, внешний агент для него не назначен.`,
        `${f.service} uses the built-in engine in the inventory; no external agent is named for it.`,
      );
    case "agent-timeout":
      return t(
        lang,
        `Агент-программист не закончил за ${f.seconds} с и был остановлен. Упростите запрос или увеличьте timeoutS агента в инвентаре.`,
        `The coding agent did not finish within ${f.seconds} s and was stopped. Make the request smaller or raise the agent's timeoutS in the inventory.`,
      );
    case "agent-exit":
      return [
        t(
          lang,
          `Агент-программист завершился с кодом ${f.exitCode}. Его последние строки:`,
          `The coding agent exited with code ${f.exitCode}. Its last lines:`,
        ),
        ...f.output
          .split("\n")
          .slice(-10)
          .map((l) => `  ${l}`),
      ].join("\n");
    case "agent-no-repo":
      return t(
        lang,
        `${f.root} не репозиторий git, а агент-программист работает только в рабочем дереве git. Сделайте исходники репозиторием или выберите встроенный движок.`,
        `${f.root} is not a git checkout, and the coding agent runs only in a git worktree. Make the source a git repository or use the built-in engine.`,
      );
    case "agent-too-many-files":
      return t(
        lang,
        `Агент-программист изменил больше ${f.limit} файлов, а больше не разрешено. Сузьте запрос.`,
        `The coding agent changed more than ${f.limit} files, which is over the limit. Make the request narrower.`,
      );
    case "agent-missing":
      return t(
        lang,
        `Программы агента ${f.command} нет на VM. Установите её или поправьте команду агента в инвентаре.`,
        `The agent's program ${f.command} is not installed on the VM. Install it or fix the agent command in the inventory.`,
      );
    case "agent-env-missing":
      return f.file.startsWith("/")
        ? t(
            lang,
            `Агенту-программисту нужна переменная ${f.variable}, а в файле ${f.file} на VM её значения нет; агент не запускался. Добавьте строку ${f.variable}=… в этот файл (владелец root, права 0600) и повторите запрос.`,
            `The coding agent needs ${f.variable}, and ${f.file} on the VM has no value for it, so the agent did not run. Add a line ${f.variable}=… to that file (owned by root, mode 0600) and ask again.`,
          )
        : t(
            lang,
            `Агенту-программисту нужна переменная ${f.variable}, а в окружении сайдкара её значения нет; агент не запускался. Задайте ${f.variable} в окружении сайдкара и повторите запрос.`,
            `The coding agent needs ${f.variable}, and the sidecar's environment has no value for it, so the agent did not run. Set ${f.variable} in the sidecar's environment and ask again.`,
          );
    case "agent-leaked-secret":
      return t(
        lang,
        `Агент-программист записал значение ${f.variable} в ${f.path}; его изменение не используется, чтобы секрет не попал в diff, журнал и резервную копию. Уточните запрос.`,
        `The coding agent wrote the value of ${f.variable} into ${f.path}; its change is not used, so that the secret reaches no diff, audit or backup. Make the request more precise.`,
      );
    case "agent-failed": {
      const code = f.outcome.error?.code ?? "";
      if (["not-connected", "timeout", "no-systemd"].includes(code)) return failureHead(f.outcome, lang);
      const said = f.outcome.error?.message ?? "";
      return t(
        lang,
        `Агент-программист не запустился${said ? `, ответ VM: «${said}»` : ""}.`,
        `The coding agent could not run${said ? `; the VM said: "${said}"` : ""}.`,
      );
    }
    case "agent-unreadable": {
      const v = f.sidecarVersion;
      return t(
        lang,
        `Агент-программист отработал, но сайдкар ${f.vm} прислал его изменения в форме, которую этот контроллер не понимает${v ? ` (версия сайдкара ${v})` : ""}, поэтому изменение не предложено. Обновите сайдкар на ${f.vm} до версии контроллера и повторите запрос.`,
        `The coding agent ran, but the sidecar on ${f.vm} sent its changes in a form this controller does not understand${v ? ` (sidecar version ${v})` : ""}, so no change is proposed. Update the sidecar on ${f.vm} to the controller's version and ask again.`,
      );
    }
    case "change":
      return t(
        lang,
        `Предложенное изменение отклонено: ${changeProblemText(f.problem, lang)}.`,
        `The proposed change was refused: ${changeProblemText(f.problem, lang)}.`,
      );
  }
}
