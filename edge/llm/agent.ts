/**
 * The LLM agent for what the rules do not cover (free-form questions, code and config requests):
 * a bounded loop of tool calls over the typed actions. Read-only calls may run at once through the
 * host's reader and come back as quoted data; every other call is only a proposal for the policy
 * gate. Calls to tools not offered, to unknown VMs or with invalid arguments are refused.
 */

import type { ActionName } from "../../protocol/actions/catalog.ts";
import type { Inventory } from "../../protocol/inventory.ts";
import type { Lang } from "../../protocol/lang.ts";
import type { ChatProvider, ToolResult, Turn } from "./chat.ts";
import { LlmError } from "./llm-error.ts";
import { quoteData, quotedDataRule } from "./quote.ts";
import { type CheckedCall, checkToolCall } from "./tool-call.ts";
import { proposeTools, readTools, runsAtOnce, toolSpecs } from "./tools.ts";

/** Settings of the agent. */
export interface LlmAgentOptions {
  readonly provider: ChatProvider;
  readonly inventory: Inventory;
  /** At most this many model calls per request (default 4). */
  readonly maxRounds?: number;
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
      const tools = toolSpecs(offered, options.inventory);
      const context = (request.context ?? []).map((c) => quoteData(c.source, c.text));
      const turns: Turn[] = [{ role: "user", text: [request.text, ...context].join("\n\n") }];
      const proposals: CheckedCall[] = [];
      const reads: CheckedCall[] = [];
      const refused: Refusal[] = [];
      const system = systemPrompt(options.inventory, request.lang);
      let text = "";
      for (let round = 1; round <= maxRounds; round++) {
        let reply: Awaited<ReturnType<ChatProvider["chat"]>>;
        try {
          reply = await options.provider.chat({
            system,
            turns,
            tools,
            ...(request.signal ? { signal: request.signal } : {}),
          });
        } catch (error) {
          const e =
            error instanceof LlmError
              ? error
              : new LlmError("bad-response", String(error), {
                  provider: options.provider.name,
                  retryable: false,
                });
          return { ok: false, error: e, refused };
        }
        text = reply.text;
        turns.push({ role: "assistant", text: reply.text, toolCalls: reply.toolCalls });
        if (reply.toolCalls.length === 0)
          return { ok: true, text, proposals, reads, refused, rounds: round, stoppedEarly: false };
        const results: ToolResult[] = [];
        for (const call of reply.toolCalls) {
          const checked = checkToolCall(call, offeredSet, options.inventory);
          if (!checked.ok) {
            refused.push({ tool: call.name.slice(0, 64), reason: checked.reason });
            results.push({
              callId: call.id,
              name: call.name,
              content: `refused: ${checked.reason}`,
              isError: true,
            });
            continue;
          }
          const c = checked.call;
          if (runsAtOnce(c.action) && request.read !== undefined) {
            const source = `${c.action} ${typeof c.args["service"] === "string" ? `${c.args["service"]}@` : ""}${c.vm}`;
            try {
              const output = await request.read(c, request.signal);
              reads.push(c);
              results.push({
                callId: call.id,
                name: call.name,
                content: quoteData(source, output),
                isError: false,
              });
            } catch (error) {
              results.push({
                callId: call.id,
                name: call.name,
                content: `failed: ${(error as Error).message}`.slice(0, 500),
                isError: true,
              });
            }
            continue;
          }
          if (!proposals.some((p) => p.action === c.action && p.vm === c.vm && sameArgs(p.args, c.args)))
            proposals.push(c);
          results.push({
            callId: call.id,
            name: call.name,
            content: "proposed to the operator; it runs only if they confirm. Do not repeat it.",
            isError: false,
          });
        }
        turns.push({ role: "tool", results });
      }
      return { ok: true, text, proposals, reads, refused, rounds: maxRounds, stoppedEarly: true };
    },
  };
}

function sameArgs(a: Readonly<Record<string, unknown>>, b: Readonly<Record<string, unknown>>): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
