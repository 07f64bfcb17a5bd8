/**
 * The `code-agent` action: runs the service's external coding agent (a command template from the
 * inventory) in a scratch git worktree of its repository — never the live tree — with a deadline,
 * and returns the files it changed, deleted (content null) and renamed. On an installed VM the agent
 * runs as the service's owner through the root helper. Nothing is applied here: the edge turns them into a proposal.
 */
import type { Adapters } from "../adapters/index.ts";
import { codeTreeFor } from "../code/code-tree.ts";
import { openSourceRoot } from "../code/source-root.ts";
import { ActionError, type ActionHandler } from "../services/handler.ts";
import { resolveService } from "../services/targets.ts";

/** Creates the handler. */
export function createCodeAgent(adapters: Adapters): ActionHandler<"code-agent"> {
  return async (args, ctx) => {
    const target = resolveService(ctx, args.service);
    const root = await openSourceRoot(target.spec.name, target.spec.code);
    const engine = root.spec.engine;
    if (engine === "built-in")
      throw new ActionError(
        "no-agent",
        `${target.spec.name} uses the built-in engine; no coding agent is named`,
      );
    const timeoutMs = Math.max(1000, Math.min(engine.timeoutS * 1000, ctx.deadline - ctx.now()));
    const outcome = await codeTreeFor(adapters, root, target.spec.name).agent(args.request, {
      timeoutMs,
      signal: ctx.signal,
    });
    return { vm: ctx.vm, service: target.spec.name, ...outcome };
  };
}
