/**
 * Creation requests at the desk ("создай сервис echo на порту 9100…", "напиши скрипт… каждую ночь
 * в 3"): the typed fields come from the words (name, port, schedule), the engine writes only the
 * code, and the operator confirms the files and the unit from the template before anything is
 * installed. After a script is created, running it once is a separate confirmation.
 */

import { createdRemove } from "../../protocol/actions/created-remove.ts";
import { scriptCreate } from "../../protocol/actions/script-create.ts";
import { serviceCreate } from "../../protocol/actions/service-create.ts";
import type { CodeSpec } from "../../protocol/code-inventory.ts";
import {
  createdNameSchema,
  entryLanguage,
  newFilePathSchema,
  scriptPath,
  scriptUnitText,
  serviceDir,
  serviceUnitName,
  serviceUnitText,
  timerUnitName,
  timerUnitText,
} from "../../protocol/created-units.ts";
import type { Inventory, VmSpec } from "../../protocol/inventory.ts";
import type { Actor } from "../core/actors.ts";
import type { CommandOutcome } from "../core/controller.ts";
import type { CreatedServices } from "../core/created-services.ts";
import { unitLines } from "../core/creation-outcome-text.ts";
import type { Lang } from "../core/desk.ts";
import type { OperatorDesk } from "../core/operator-desk.ts";
import { t } from "../core/text.ts";
import { llmNeededText } from "../llm/llm-needed.ts";
import { type ChangeProblem, changeProblemText } from "./change-problem.ts";
import type { CodeEngine } from "./code-engine.ts";
import { createCreatedCommands } from "./created-commands.ts";
import type { CreationAnswer } from "./creation-answer.ts";
import { creationSetupText } from "./creation-setup.ts";
import type { CreatedCommand, CreationWords } from "./creation-words.ts";
import { engineFailureText } from "./engine-failure.ts";
import { buildProposal, type FileChange, type Proposal } from "./proposal.ts";
import type { SourceReader } from "./source-reader.ts";

/** How long a creation proposal, and the offer to run a new script once, wait for a press. */
const PROPOSAL_TTL_MS = 10 * 60_000;

export type { CreationAnswer };

/** The creation part of the code desk. */
export interface CreationDesk {
  ask(
    actor: Actor,
    req: { text: string; lang: Lang; vm?: string | undefined },
    words: CreationWords,
  ): Promise<CreationAnswer>;
  /** A command about what voxops created: list it, run a script once, remove one (confirmed). */
  command(
    actor: Actor,
    req: { lang: Lang; vm?: string | undefined },
    command: CreatedCommand,
  ): Promise<CreationAnswer>;
  /** After a confirmed creation: record it, and offer a new script's first run. */
  afterApply(
    actor: Actor,
    outcome: CommandOutcome,
    lang: Lang,
    /** The outcome as the desk worded it (checked against its action's output schema). */
    text: string,
  ): Promise<{ text: string; runConfirmationId?: string }>;
}

export interface CreationDeskOptions {
  readonly inventory: Inventory;
  readonly desk: () => OperatorDesk;
  readonly engine: CodeEngine | undefined;
  readonly created: CreatedServices;
  readonly llmProblems?: readonly string[];
}

/** The source of something that does not exist yet: nothing to list, read or find. */
function nothingYet(what: string): SourceReader {
  const missing = (path: string) =>
    Object.assign(new Error(`${path} does not exist: ${what} is new and has no files yet`), {
      code: "not-found",
    });
  return {
    list: async () => [],
    read: async (path) => {
      throw missing(path);
    },
    readWhole: async () => null,
    search: async () => [],
  };
}

/** Creates the creation desk. */
export function createCreationDesk(options: CreationDeskOptions): CreationDesk {
  const { inventory, created } = options;

  /** The VM to create on: one that allows it, named or the only one; else the question. */
  function pickVm(
    kind: "service" | "script",
    req: { text: string; lang: Lang; vm?: string | undefined },
  ): VmSpec | string {
    const able = inventory.vms.filter((v) => (kind === "service" ? v.code?.newServices : v.code?.scripts));
    if (able.length === 0) return creationSetupText(req.lang, kind);
    const words = req.text.toLowerCase();
    const named = req.vm
      ? able.filter((v) => v.name === req.vm)
      : able.filter((v) => [v.name, ...v.aliases].some((n) => words.includes(n.toLowerCase())));
    const hits = named.length > 0 ? named : req.vm ? [] : able;
    if (hits.length === 1 && hits[0]) return hits[0];
    return t(
      req.lang,
      `На какой машине создать? Можно на: ${able.map((v) => v.name).join(", ")}.`,
      `On which VM? It is allowed on: ${able.map((v) => v.name).join(", ")}.`,
    );
  }

  const taken = (name: string): string | null => {
    for (const v of inventory.vms) {
      if (v.services.some((s) => s.name === name)) return v.name;
      if (created.list(v.name).some((r) => r.name === name)) return v.name;
    }
    return null;
  };

  async function ask(
    actor: Actor,
    req: { text: string; lang: Lang; vm?: string | undefined },
    words: CreationWords,
  ): Promise<CreationAnswer> {
    const { lang } = req;
    const vm = pickVm(words.kind, req);
    if (typeof vm === "string") return { kind: pickVmKind(vm), message: vm };
    if (words.kind === "script" && words.schedule === "unclear")
      return {
        kind: "ask",
        message: t(
          lang,
          "Не понял, когда запускать скрипт. Скажите, например: «каждую ночь в 3», «каждый день в 14:30», «каждые 15 минут», «по понедельникам в 9».",
          'I could not read when the script should run. Say, for example: "every night at 3", "every day at 14:30", "every 15 minutes", "every monday at 9".',
        ),
      };
    let name = words.name;
    let port: number | null = null;
    if (name) {
      const bad = refusedName(name, lang);
      if (bad) return { kind: "refused", message: bad };
    }
    if (words.kind === "service") {
      const spec = vm.code?.newServices;
      if (!spec) return { kind: "not-configured", message: creationSetupText(lang, "service", vm.name) };
      const [low, high] = spec.portRange;
      if (!name)
        return {
          kind: "ask",
          message: t(
            lang,
            `Как назвать сервис? Например: «создай сервис echo на порту ${low}, который отвечает тем же».`,
            `What should the service be called? For example: "create a service echo on port ${low} that answers with what it gets".`,
          ),
        };
      if (words.port === null)
        return {
          kind: "ask",
          message: t(
            lang,
            `На каком порту будет ${name}? Можно от ${low} до ${high}.`,
            `Which port should ${name} listen on? Allowed: ${low} to ${high}.`,
          ),
        };
      port = words.port;
      if (port < low || port > high)
        return {
          kind: "refused",
          message: t(
            lang,
            `Порт ${port} вне разрешённого инвентарём диапазона ${low}-${high}; ничего не создано.`,
            `Port ${port} is outside the range ${low}-${high} the inventory allows; nothing was created.`,
          ),
        };
      const holder = vm.services.find((s) => s.port === port);
      if (holder)
        return {
          kind: "refused",
          message: t(
            lang,
            `Порт ${port} уже занят сервисом ${holder.name}.`,
            `Port ${port} is already used by ${holder.name}.`,
          ),
        };
    }
    if (!options.engine)
      return { kind: "not-configured", message: llmNeededText(lang, options.llmProblems ?? []) };
    const what = words.kind === "service" ? `the new service ${name}` : "the new script";
    const note =
      words.kind === "service"
        ? `voxops: this is a NEW service named "${name}"; nothing exists yet. With propose_change give the whole content of each file (no edits) and "entry": the file systemd starts, a .js file (Node.js 20, built-in modules only, no npm packages) or a .py file (Python 3 standard library only). It must listen on 127.0.0.1 on the port in the PORT environment variable (${port}) and answer 200 to GET / (its health check). At most 20 files, one directory deep.`
        : `voxops: this is a NEW script; nothing exists yet. With propose_change give exactly one file, "script.sh" (bash) or "script.py" (Python 3 standard library only), with its whole content, and "name": a short name for it, lowercase words joined by '-'. It runs under systemd as an unprivileged user with no terminal; it should print what it did. Do not schedule it yourself: voxops makes the timer.`;
    const code: CodeSpec = {
      root: "/nonexistent",
      checks: [],
      engine: "built-in",
      maxFiles: 20,
      maxLines: 4000,
      maxFileBytes: 200_000,
    };
    const result = await options.engine.propose({
      vm: vm.name,
      service: name ?? "new-script",
      code,
      request: `${req.text}\n\n${note}`,
      lang,
      reader: nothingYet(what),
    });
    if (!result.ok)
      return {
        kind: "no-change",
        message: `${t(lang, "Ничего не предложено.", "Nothing was proposed.")} ${engineFailureText(result.failure, lang)}`,
      };
    const refuse = (ru: string, en: string): CreationAnswer => ({
      kind: "refused",
      message: t(lang, `Предложение отклонено: ${ru}.`, `The proposal was refused: ${en}.`),
    });
    const refuseProblem = (p: ChangeProblem) =>
      refuse(changeProblemText(p, "ru"), changeProblemText(p, "en"));
    if (result.changes.some((c) => c.before !== null))
      return refuse(
        "оно меняет существующий файл, а создаётся новое",
        "it changes an existing file, and this is a creation",
      );
    for (const c of result.changes)
      if (!newFilePathSchema.safeParse(c.path).success)
        return refuse(`имя файла ${c.path} не подходит`, `the file name ${c.path} is not allowed`);
    let submitArgs: Record<string, unknown>;
    let units: string;
    let readBack: string;
    const changes: FileChange[] = [...result.changes];
    if (words.kind === "service") {
      const spec = vm.code?.newServices;
      if (!spec || !name || port === null)
        return { kind: "not-configured", message: creationSetupText(lang, "service", vm.name) };
      const entry = result.entry ?? guessEntry(changes.map((c) => c.path));
      if (
        !entry ||
        !changes.some((c) => c.path === entry) ||
        !["node", "python"].includes(entryLanguage(entry) ?? "")
      )
        return refuse(
          "не ясно, какой файл запускать (нужен .js или .py среди файлов)",
          "it does not say which file to start (a .js or .py file among the files)",
        );
      units = serviceUnitText(spec, { name, port, entry });
      const built = await buildProposal(
        { vm: vm.name, service: name, request: req.text, summary: result.summary },
        changes,
        code,
      );
      if (!built.ok) return refuseProblem(built.problem);
      const p = built.proposal;
      submitArgs = {
        name,
        port,
        entry,
        files: p.files.map((f) => ({ path: f.path, content: f.content })),
        healthPath: "/",
        request: req.text.slice(0, 500),
        diffSha256: p.diffSha256,
        lang,
      };
      readBack = t(
        lang,
        `Новый сервис ${name} на ${vm.name}: ${p.summary}\nФайлы в ${serviceDir(spec, name)}: ${p.files.map((f) => f.path).join(", ")} (+${p.added} строк). Порт ${port}, запускается ${entry}.\nЮнит ${serviceUnitName(name)} из шаблона voxops:\n${unitLines(units)}\nСоздать? Сначала проверка синтаксиса, потом установка, запуск и проверка, что порт ${port} отвечает; при любой ошибке всё созданное удаляется.`,
        `New service ${name} on ${vm.name}: ${p.summary}\nFiles in ${serviceDir(spec, name)}: ${p.files.map((f) => f.path).join(", ")} (+${p.added} lines). Port ${port}, started as ${entry}.\nUnit ${serviceUnitName(name)} from voxops's template:\n${unitLines(units)}\nCreate it? First a syntax check, then the install, the start and a check that port ${port} answers; on any failure everything created is removed.`,
      );
      return submit(actor, lang, vm.name, "service-create", submitArgs, p, readBack, units);
    }
    const spec = vm.code?.scripts;
    if (!spec) return { kind: "not-configured", message: creationSetupText(lang, "script", vm.name) };
    const file = changes[0];
    if (changes.length !== 1 || !file || !/^script\.(sh|py)$/.test(file.path))
      return refuse(
        "нужен ровно один файл script.sh или script.py",
        "a script is exactly one file, script.sh or script.py",
      );
    name = name ?? result.name ?? null;
    if (!name) return refuse("у скрипта нет имени", "the script has no name");
    const bad = refusedName(name, lang);
    if (bad) return { kind: "refused", message: bad };
    const language = file.path.endsWith(".py") ? "python" : "bash";
    const schedule = words.schedule ?? undefined;
    units = [
      `# ${serviceUnitName(name)}`,
      scriptUnitText(spec, { name, language }),
      ...(schedule ? [`# ${timerUnitName(name)}`, timerUnitText({ name, language, schedule })] : []),
    ].join("\n");
    const path = scriptPath(spec, { name, language });
    const built = await buildProposal(
      { vm: vm.name, service: name, request: req.text, summary: result.summary },
      [{ ...file, path: path.split("/").pop() ?? file.path }],
      code,
    );
    if (!built.ok) return refuseProblem(built.problem);
    const p = built.proposal;
    submitArgs = {
      name,
      language,
      content: file.after,
      ...(schedule ? { schedule } : {}),
      request: req.text.slice(0, 500),
      diffSha256: p.diffSha256,
      lang,
    };
    readBack = t(
      lang,
      `Новый скрипт ${name} на ${vm.name}: ${p.summary}\nФайл ${path} (+${p.added} строк). ${schedule ? `По расписанию: таймер ${timerUnitName(name)}, OnCalendar=${schedule}.` : "Без расписания: запускается только по вашей команде."}\nЮниты из шаблона voxops:\n${unitLines(units)}\nСоздать? Сначала проверка (${language === "bash" ? "bash -n" : "py_compile"}); запустить его сразу можно будет отдельной кнопкой.`,
      `New script ${name} on ${vm.name}: ${p.summary}\nFile ${path} (+${p.added} lines). ${schedule ? `On a schedule: timer ${timerUnitName(name)}, OnCalendar=${schedule}.` : "No schedule: it runs only when you ask."}\nUnits from voxops's template:\n${unitLines(units)}\nCreate it? First a check (${language === "bash" ? "bash -n" : "py_compile"}); running it once right away is a separate button.`,
    );
    return submit(actor, lang, vm.name, "script-create", submitArgs, p, readBack, units);
  }

  async function submit(
    actor: Actor,
    lang: Lang,
    vm: string,
    action: "service-create" | "script-create",
    args: Record<string, unknown>,
    proposal: Proposal,
    readBack: string,
    units: string,
  ): Promise<CreationAnswer> {
    const submitted = await options.desk().submit(actor, {
      action,
      args,
      vms: [vm],
      lang,
      origin: `creation request: ${proposal.request.slice(0, 120)}`,
      forceConfirm: true,
      readBack,
      ttlMs: PROPOSAL_TTL_MS,
    });
    if (submitted.kind === "confirm")
      return {
        kind: "proposal",
        proposal,
        confirmationId: submitted.id,
        expiresAt: submitted.expiresAt,
        readBack,
        units,
      };
    if (submitted.kind === "invalid" || submitted.kind === "denied")
      return { kind: "refused", message: submitted.message };
    return {
      kind: "refused",
      message: t(
        lang,
        "Создание не было поставлено на подтверждение.",
        "The creation was not put up for confirmation.",
      ),
    };
  }

  function refusedName(name: string, lang: Lang): string | null {
    if (!createdNameSchema.safeParse(name).success)
      return t(
        lang,
        `Имя «${name}» не подходит: только строчные латинские буквы, цифры и одиночные дефисы, с буквы, до 32 знаков.`,
        `The name "${name}" is refused: lowercase letters, digits and single dashes only, starting with a letter, up to 32 characters.`,
      );
    const on = taken(name);
    if (on)
      return t(
        lang,
        `Имя ${name} уже занято на ${on}; выберите другое.`,
        `The name ${name} is already taken on ${on}; choose another.`,
      );
    return null;
  }

  const commands = createCreatedCommands({ inventory, desk: options.desk, created });

  return {
    ask,
    command: commands.command,
    async afterApply(actor, o, lang, text) {
      if (!o.ok) return { text };
      // Each output is checked against its definition's schema; an unreadable one records nothing (the text says so).
      if (o.action === "service-create") {
        const out = serviceCreate.output.safeParse(o.output);
        if (out.success)
          created.record(o.vm, {
            kind: "service",
            name: out.data.name,
            unit: out.data.unit,
            port: out.data.port,
            healthPath: "/",
            path: out.data.dir,
            request: "",
            createdAt: Date.now(),
          });
        return { text };
      }
      if (o.action === "created-remove") {
        const out = createdRemove.output.safeParse(o.output);
        if (out.success) created.forget(o.vm, out.data.removed);
        return { text };
      }
      if (o.action !== "script-create") return { text };
      const parsed = scriptCreate.output.safeParse(o.output);
      if (!parsed.success) return { text };
      const out = parsed.data;
      created.record(o.vm, {
        kind: "script",
        name: out.name,
        unit: out.unit,
        ...(out.timer !== null ? { timer: out.timer, schedule: out.schedule ?? "" } : {}),
        path: out.path,
        request: "",
        createdAt: Date.now(),
      });
      const run = await options.desk().submit(actor, {
        action: "script-run",
        args: { name: out.name, lang },
        vms: [o.vm],
        lang,
        origin: `first run of ${out.name}`,
        forceConfirm: true,
        readBack: t(lang, `Запустить ${out.name} на ${o.vm} сейчас?`, `Run ${out.name} on ${o.vm} now?`),
        ttlMs: PROPOSAL_TTL_MS,
      });
      return { text, ...(run.kind === "confirm" ? { runConfirmationId: run.id } : {}) };
    },
  };
}

/** "ask" for a question about the VM, "not-configured" when no VM allows creating. */
function pickVmKind(message: string): "ask" | "not-configured" {
  return message.includes("?") ? "ask" : "not-configured";
}

/** The file systemd should start when the model did not say: the only .js/.py, or server/main/app/index. */
function guessEntry(paths: readonly string[]): string | null {
  const runnable = paths.filter((p) => !p.includes("/") && /\.(m?js|cjs|py)$/.test(p));
  if (runnable.length === 1) return runnable[0] ?? null;
  for (const base of ["server", "main", "app", "index"]) {
    const hit = runnable.find((p) => p.replace(/\.[a-z]+$/, "") === base);
    if (hit) return hit;
  }
  return null;
}
