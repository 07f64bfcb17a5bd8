/** Wires programming into a runtime: the engines from the LLM settings, the code desk, its button, its routes. */
import type { Hono } from "hono";
import type { Inventory } from "../../protocol/inventory.ts";
import type { AppEnv } from "../core/app-env.ts";
import type { Controller } from "../core/controller.ts";
import type { CreatedServices } from "../core/created-services.ts";
import type { Reply } from "../core/desk.ts";
import type { ButtonHandler, CodeTextHandler } from "../core/desk-extensions.ts";
import type { OperatorDesk } from "../core/operator-desk.ts";
import { createChatProvider, type LlmHost } from "../llm/create-llm.ts";
import type { readLlmConfig } from "../llm/llm-config.ts";
import { createAgentEngine } from "./agent-engine.ts";
import { createBuiltInEngine } from "./built-in-engine.ts";
import { applyReply, type CodeDesk, createCodeDesk } from "./code-desk.ts";
import { mountCodeRoutes } from "./code-routes.ts";
import { readCreatedCommand } from "./creation-words.ts";

/** What the runtime plugs in. */
export interface CodeRuntime {
  readonly codeDesk: CodeDesk;
  /** The `ca:` (apply a proposed change) button. */
  readonly applyButton: ButtonHandler;
  /** The desk's hook for text the understanding layer tagged as code. */
  readonly onCodeText: CodeTextHandler;
  /** Words about what voxops created (list, run, remove), which the code desk takes. */
  readonly claims: (text: string) => boolean;
  mount(app: Hono<AppEnv>): void;
}

/** Creates the code runtime; without a usable LLM the built-in engine is absent and requests say what to set. */
export function createCodeRuntime(options: {
  readonly controller: Controller;
  readonly inventory: Inventory;
  readonly desk: OperatorDesk;
  readonly llm: ReturnType<typeof readLlmConfig>;
  readonly host?: LlmHost;
  /** What voxops created (issue 13's new services and scripts), kept in the controller's store. */
  readonly created?: CreatedServices;
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
    ...(options.created ? { created: options.created } : {}),
  });
  return {
    codeDesk,
    applyButton: async (actor, data, lang, onProgress) =>
      applyReply(await codeDesk.apply(actor, data.slice(3), lang, onProgress), lang),
    onCodeText: async (actor, text, lang, service, onProgress): Promise<Reply> =>
      codeDesk.reply(
        await codeDesk.ask(actor, { text, lang, service, ...(onProgress ? { onProgress } : {}) }),
        lang,
      ),
    claims: (text) => options.created !== undefined && readCreatedCommand(text) !== null,
    mount: (app) => mountCodeRoutes(app, codeDesk),
  };
}
