/**
 * The LLM agent for what the rules do not cover (free-form questions, code and config requests):
 * a bounded loop of tool calls over the typed actions. Read-only calls may run at once through the
 * host's reader and come back as quoted data; every other call is only a proposal for the policy
 * gate. Calls to tools not offered, to unknown VMs or with invalid arguments are refused.
 */

import type { ActionName } from "../../protocol/actions/catalog.ts";
import type { Inventory } from "../../protocol/inventory.ts";
import type { Lang } from "../../protocol/lang.ts";
import type { ChatProvider } from "./chat.ts";
import type { LlmError } from "./llm-error.ts";
import { quoteData, quotedDataRule } from "./quote.ts";
import { type CheckedCall, checkToolCall } from "./tool-call.ts";
import { runToolLoop } from "./tool-loop.ts";
import { proposeTools, readTools, runsAtOnce, toolSpecs } from "./tools.ts";

/** Settings of the agent. */
export interface LlmAgentOptions {
  readonly provider: ChatProvider;
  readonly inventory: Inventory;
  /** At most this many model calls per request (default 4). */
  readonly maxRounds?: number;
  /** Characters of one read given to the model (default 24 000). */
  readonly maxToolOutput?: number;
}

/**
 * Runs a checked read-only action for the person asking (the host puts it through the policy gate as
 * that person) and returns its output as text; a refusal is thrown as an Error whose message says why.
 */
export type ReadPort = (call: CheckedCall, signal?: AbortSignal) => Promise<string>;

/** One request to the agent. */
export interface LlmRequest {
  readonly text: string;
  readonly lang: Lang;
  /** Changing actions the model may propose for this request: only what the operator asked for. */
  readonly proposable?: readonly ActionName[];
  /** Data already read from the VMs, passed as quoted data. */
  readonly context?: readonly { readonly source: string; readonly text: string }[];
  readonly signal?: AbortSignal;
  /** Runs the model's read-only calls as the person asking; without it, reads are proposals too. */
  readonly read?: ReadPort;
}

/** A tool call that was refused, and why. */
export interface Refusal {
  readonly tool: string;
  readonly reason: string;
}

/** What the agent came back with. */
export type LlmOutcome =
  | {
      readonly ok: true;
      readonly text: string;
      /** Checked actions for the policy gate; nothing in here has run. */
      readonly proposals: readonly CheckedCall[];
      /** Read-only actions that ran during the conversation. */
      readonly reads: readonly CheckedCall[];
      readonly refused: readonly Refusal[];
      readonly rounds: number;
      /** True when the round limit ended the conversation. */
      readonly stoppedEarly: boolean;
    }
  | { readonly ok: false; readonly error: LlmError; readonly refused: readonly Refusal[] };

/** The agent. */
export interface LlmAgent {
  ask(request: LlmRequest): Promise<LlmOutcome>;
}

function systemPrompt(inventory: Inventory, lang: Lang): string {
  const fleet = inventory.vms
    .map(
      (vm) =>
        `${vm.name}${vm.role ? ` (${vm.role})` : ""}: ${vm.services.map((s) => s.name).join(", ") || "no services"}`,
    )
    .join("; ");
  return [
    "You are voxops, the operations assistant for a small fleet of VMs.",
    `The fleet: ${fleet}.`,
    "You act only through the tools given. Read-only tools run at once. Any other tool call is only a " +
      "proposal: the operator must confirm it and a policy gate decides. Propose only what the operator asked for.",
    quotedDataRule,
    `Answer briefly, in ${lang === "ru" ? "Russian" : "English"}.`,
  ].join("\n");
}

/** Creates the agent. */
export function createLlmAgent(options: LlmAgentOptions): LlmAgent {
  const maxRounds = options.maxRounds ?? 4;
  return {
    async ask(request) {
      const changes = (request.proposable ?? []).filter((a) => proposeTools.includes(a));
      const offered = [...readTools, ...changes.filter((a) => !readTools.includes(a))];
      const offeredSet = new Set<string>(offered);
      const context = (request.context ?? []).map((c) => quoteData(c.source, c.text));
      const proposals: CheckedCall[] = [];
      const reads: CheckedCall[] = [];
      const refused: Refusal[] = [];
      const end = await runToolLoop<never>({
        provider: options.provider,
        system: systemPrompt(options.inventory, request.lang),
        prompt: [request.text, ...context].join("\n\n"),
        tools: toolSpecs(offered, options.inventory),
        maxSteps: maxRounds,
        maxToolOutput: options.maxToolOutput ?? 24_000,
        signal: request.signal,
        async handle(call) {
          const checked = checkToolCall(call, offeredSet, options.inventory);
          if (!checked.ok) {
            refused.push({ tool: call.name.slice(0, 64), reason: checked.reason });
            return { refused: checked.reason };
          }
          const c = checked.call;
          if (runsAtOnce(c.action) && request.read !== undefined) {
            const service = typeof c.args["service"] === "string" ? `${c.args["service"]}@` : "";
            const data = await request.read(c, request.signal);
            reads.push(c);
            return { data, source: `${c.action} ${service}${c.vm}` };
          }
          if (!proposals.some((p) => p.action === c.action && p.vm === c.vm && sameArgs(p.args, c.args)))
            proposals.push(c);
          return { note: "proposed to the operator; it runs only if they confirm. Do not repeat it." };
        },
      });
      if (end.kind === "failed") return { ok: false, error: end.error, refused };
      const text = end.kind === "stopped" ? "" : end.text;
      return {
        ok: true,
        text,
        proposals,
        reads,
        refused,
        rounds: end.steps,
        stoppedEarly: end.kind === "exhausted",
      };
    },
  };
}

function sameArgs(a: Readonly<Record<string, unknown>>, b: Readonly<Record<string, unknown>>): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
