/**
 * The external coding-agent engine: the sidecar runs the agent named in the inventory in a scratch
 * git worktree (`code-agent`), and its changed files become a proposal against the live tree, which
 * goes through the same confirmation and apply pipeline as the built-in engine's.
 */
import { type AgentSkipped, codeAgent, codeAgentFailureSchema } from "../../protocol/actions/code-agent.ts";
import type { Actor } from "../core/actors.ts";
import type { CommandOutcome, Controller } from "../core/controller.ts";
import type { Lang } from "../core/desk.ts";
import { t } from "../core/text.ts";
import type { CodeEngine, EngineResult } from "./code-engine.ts";
import type { EngineFailure } from "./engine-failure.ts";
import type { FileChange } from "./proposal.ts";

/** Creates the engine over the controller's dispatch, acting as `actor`. */
export function createAgentEngine(controller: Controller, actor: () => Actor): CodeEngine {
  return {
    name: "external agent",
    async propose(req): Promise<EngineResult> {
      const fail = (failure: EngineFailure): EngineResult => ({ ok: false, failure });
      if (req.code.engine === "built-in") return fail({ kind: "wrong-engine", service: req.service });
      req.onProgress?.("proposing");
      const o = await controller.dispatch({
        vm: req.vm,
        action: "code-agent",
        args: { service: req.service, request: req.request.slice(0, 2000) },
        actor: actor(),
        timeoutMs: req.code.engine.timeoutS * 1000 + 15_000,
      });
      if (!o.ok) return fail(agentFailure(o));
      const parsed = codeAgent.output.safeParse(o.output);
      if (!parsed.success) {
        const sidecarVersion = controller.fleet().find((v) => v.vm === req.vm)?.sidecarVersion ?? null;
        return fail({ kind: "agent-unreadable", vm: req.vm, sidecarVersion });
      }
      const out = parsed.data;
      const changes: FileChange[] = [];
      for (const f of out.files) {
        const live = await req.reader.readWhole(f.path);
        if (live && !live.whole)
          return fail({ kind: "change", problem: { kind: "too-long-to-change", path: f.path } });
        if (f.content === null && !live)
          return fail({ kind: "change", problem: { kind: "missing", path: f.path } });
        if (f.renamedFrom !== undefined && live)
          return fail({ kind: "change", problem: { kind: "exists-already", path: f.path } });
        changes.push({
          path: f.path,
          before: live?.text ?? null,
          baseSha256: live?.sha256 ?? null,
          after: f.content,
          ...(f.renamedFrom === undefined ? {} : { renamedFrom: f.renamedFrom }),
        });
      }
      const said = out.output.trim().split("\n").filter(Boolean).at(-1)?.slice(0, 300) ?? "";
      const summary = [
        t(
          req.lang,
          `изменение от агента${said ? `: «${said}»` : ""}.`,
          `a change from the coding agent${said ? `: "${said}"` : ""}.`,
        ),
        ...(out.skipped.length > 0 ? [leftOutText(out.skipped, req.lang)] : []),
      ].join(" ");
      return { ok: true, summary, changes, steps: 1 };
    },
  };
}

/** The agent's failure from the sidecar's code and typed details. */
function agentFailure(o: CommandOutcome): EngineFailure {
  const parsed = codeAgentFailureSchema.safeParse(o.error?.details ?? {});
  const d = parsed.success ? parsed.data : {};
  if (d.timeoutS !== undefined) return { kind: "agent-timeout", seconds: d.timeoutS };
  if (d.exitCode !== undefined) return { kind: "agent-exit", exitCode: d.exitCode, output: d.output ?? "" };
  if (d.root !== undefined) return { kind: "agent-no-repo", root: d.root };
  if (d.limit !== undefined) return { kind: "agent-too-many-files", limit: d.limit };
  if (d.missing !== undefined) return { kind: "agent-missing", command: d.missing };
  if (d.variable !== undefined && d.path !== undefined)
    return { kind: "agent-leaked-secret", variable: d.variable, path: d.path };
  if (d.variable !== undefined && d.file !== undefined)
    return { kind: "agent-env-missing", variable: d.variable, file: d.file };
  return { kind: "agent-failed", outcome: o };
}

/** The sentence naming the files the agent changed that voxops leaves out, and why. */
export function leftOutText(skipped: readonly AgentSkipped[], lang: Lang): string {
  const one = (s: AgentSkipped) => {
    const path = s.from ? `${s.from} → ${s.path}` : s.path;
    if (s.why === "not-writable")
      return t(lang, `${path} (сюда voxops не пишет)`, `${path} (not a path voxops writes)`);
    if (s.why === "not-regular")
      return t(
        lang,
        `${path} (символическая ссылка, а не обычный файл)`,
        `${path} (a symbolic link, not a regular file)`,
      );
    return t(lang, `${path} (двоичный или слишком большой)`, `${path} (binary or too big)`);
  };
  return t(
    lang,
    `Не вошло в изменение: ${skipped.map(one).join(", ")}.`,
    `Left out: ${skipped.map(one).join(", ")}.`,
  );
}
