/** Wires programming into a runtime: the engines from the LLM settings, the code desk, its button, its routes. */
import type { Hono } from "hono";
import type { Inventory } from "../../protocol/inventory.ts";
import type { AppEnv } from "../core/app-env.ts";
import type { Controller } from "../core/controller.ts";
import type { Reply } from "../core/desk.ts";
import type { ButtonHandler, CodeTextHandler } from "../core/desk-extensions.ts";
import type { OperatorDesk } from "../core/operator-desk.ts";
import { createChatProvider, type LlmHost } from "../llm/create-llm.ts";
import type { readLlmConfig } from "../llm/llm-config.ts";
import { createAgentEngine } from "./agent-engine.ts";
import { createBuiltInEngine } from "./built-in-engine.ts";
import { applyReply, type CodeDesk, createCodeDesk } from "./code-desk.ts";
import { mountCodeRoutes } from "./code-routes.ts";

/** What the runtime plugs in. */
export interface CodeRuntime {
  readonly codeDesk: CodeDesk;
  /** The `ca:` (apply a proposed change) button. */
  readonly applyButton: ButtonHandler;
  /** The desk's hook for text the understanding layer tagged as code. */
  readonly onCodeText: CodeTextHandler;
  mount(app: Hono<AppEnv>): void;
}

/** Creates the code runtime; without a usable LLM the built-in engine is absent and requests say what to set. */
export function createCodeRuntime(options: {
  readonly controller: Controller;
  readonly inventory: Inventory;
  readonly desk: OperatorDesk;
  readonly llm: ReturnType<typeof readLlmConfig>;
  readonly host?: LlmHost;
}): CodeRuntime {
  const { llm } = options;
  // A provider that cannot be built (say workers-ai off the edge) turns only the built-in engine off;
  // the runtime reports the same setting as a configuration problem.
  let builtIn: ReturnType<typeof createBuiltInEngine> | undefined;
  let providerProblem: string | undefined;
  if (llm.ok) {
    try {
      builtIn = createBuiltInEngine({ provider: createChatProvider(llm.config, options.host ?? {}) });
    } catch (error) {
      providerProblem = error instanceof Error ? error.message : String(error);
    }
  }
  const codeDesk = createCodeDesk({
    controller: options.controller,
    inventory: options.inventory,
    desk: () => options.desk,
    engines: {
      ...(builtIn ? { builtIn } : {}),
      agent: createAgentEngine(options.controller, () => ({
        kind: "auto",
        id: "code-agent",
        role: "operator",
      })),
    },
    llmProblems: !llm.ok && llm.configured ? llm.errors : providerProblem ? [providerProblem] : [],
  });
  return {
    codeDesk,
    applyButton: async (actor, data, lang) =>
      applyReply(await codeDesk.apply(actor, data.slice(3), lang), lang),
    onCodeText: async (actor, text, lang, service, onProgress): Promise<Reply> =>
      codeDesk.reply(
        await codeDesk.ask(actor, { text, lang, service, ...(onProgress ? { onProgress } : {}) }),
        lang,
      ),
    mount: (app) => mountCodeRoutes(app, codeDesk),
  };
}
