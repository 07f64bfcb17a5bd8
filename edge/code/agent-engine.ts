/**
 * The external coding-agent engine: the sidecar runs the agent named in the inventory in a scratch
 * git worktree (`code-agent`), and its changed files become a proposal against the live tree, which
 * goes through the same confirmation and apply pipeline as the built-in engine's.
 */
import type { Actor } from "../core/actors.ts";
import type { Controller } from "../core/controller.ts";
import type { CodeEngine, EngineResult } from "./code-engine.ts";
import type { FileChange } from "./proposal.ts";

/** Creates the engine over the controller's dispatch, acting as `actor`. */
export function createAgentEngine(controller: Controller, actor: () => Actor): CodeEngine {
  return {
    name: "external agent",
    async propose(req): Promise<EngineResult> {
      if (req.code.engine === "built-in")
        return { ok: false, reason: "this service uses the built-in engine" };
      req.onProgress?.("proposing");
      const o = await controller.dispatch({
        vm: req.vm,
        action: "code-agent",
        args: { service: req.service, request: req.request.slice(0, 2000) },
        actor: actor(),
        timeoutMs: req.code.engine.timeoutS * 1000 + 15_000,
      });
      if (!o.ok) return { ok: false, reason: o.error?.message ?? "the coding agent failed" };
      const out = o.output as {
        files?: { path: string; content: string | null; renamedFrom?: string }[];
        output?: string;
        skipped?: string[];
      };
      const changes: FileChange[] = [];
      for (const f of out.files ?? []) {
        const live = await req.reader.readWhole(f.path);
        if (live && !live.whole) return { ok: false, reason: `${f.path} is too long to change in one piece` };
        if (f.content === null && !live)
          return { ok: false, reason: `${f.path} does not exist in the live tree` };
        if (f.renamedFrom !== undefined && live)
          return { ok: false, reason: `${f.path} already exists in the live tree` };
        changes.push({
          path: f.path,
          before: live?.text ?? null,
          baseSha256: live?.sha256 ?? null,
          after: f.content,
          ...(f.renamedFrom === undefined ? {} : { renamedFrom: f.renamedFrom }),
        });
      }
      const said = (out.output ?? "").trim().split("\n").filter(Boolean).at(-1)?.slice(0, 300) ?? "";
      const skipped = (out.skipped ?? []).length > 0 ? ` Left out: ${(out.skipped ?? []).join(", ")}.` : "";
      const summary =
        req.lang === "ru"
          ? `изменение от агента${said ? `: «${said}»` : ""}.${skipped}`
          : `a change from the coding agent${said ? `: "${said}"` : ""}.${skipped}`;
      return { ok: true, summary, changes, steps: 1 };
    },
  };
}
