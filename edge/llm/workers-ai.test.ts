import { describe, expect, it } from "vitest";
import { parseInventory } from "../../protocol/inventory.ts";
import { edgeSettings } from "../../protocol/settings/edge-settings.ts";
import { parseSettings } from "../../protocol/settings/parse-settings.ts";
import inventoryFile from "../understand/fixtures/eval-inventory.json" with { type: "json" };
import { createLlmAgent } from "./agent.ts";
import { createChatProvider } from "./create-llm.ts";
import { readLlmConfig } from "./llm-config.ts";
import type { WorkersAiBinding } from "./workers-ai.ts";

const parsed = parseInventory(inventoryFile);
if (!parsed.ok) throw new Error(parsed.errors.join("; "));
const inventory = parsed.inventory;

function config(timeout = "2000") {
  const c = readLlmConfig(
    parseSettings(edgeSettings, { LLM_PROVIDER: "workers-ai", LLM_TIMEOUT_MS: timeout }).values,
  );
  if (!c.ok) throw new Error("config");
  return c.config;
}

describe("the Workers AI binding", () => {
  it("passes messages and tools to run() and checks the tool calls it returns", async () => {
    const calls: { model: string; inputs: Record<string, unknown> }[] = [];
    const replies: unknown[] = [
      {
        tool_calls: [
          { name: "restart", arguments: { service: "grok-voice", vm: "vm1" } },
          { name: "reboot", arguments: { vm: "vm1" } },
        ],
      },
      { response: "Proposed a restart of grok-voice." },
    ];
    const ai: WorkersAiBinding = {
      run: async (model, inputs) => {
        calls.push({ model, inputs });
        return replies.shift();
      },
    };
    const agent = createLlmAgent({ provider: createChatProvider(config(), { ai }), inventory });
    const out = await agent.ask({
      text: "перезапусти голосовой сервис",
      lang: "ru",
      proposable: ["restart"],
    });
    expect(calls[0]?.model).toBe("@cf/meta/llama-3.3-70b-instruct-fp8-fast");
    const messages = calls[0]?.inputs["messages"] as { role: string; content: string }[];
    expect(messages.map((m) => m.role)).toEqual(["system", "user"]);
    expect(messages[0]?.content).toContain("in Russian");
    const second = calls[1]?.inputs["messages"] as { role: string; tool_call_id?: string }[];
    expect(second.slice(-2).map((m) => [m.role, m.tool_call_id])).toEqual([
      ["tool", "call_0"],
      ["tool", "call_1"],
    ]);
    expect(out).toMatchObject({
      ok: true,
      text: "Proposed a restart of grok-voice.",
      proposals: [{ action: "restart", args: { service: "grok-voice" }, vm: "vm1" }],
      refused: [{ tool: "reboot", reason: 'tool "reboot" was not offered for this request' }],
    });
  });

  it("times out a binding that never answers", async () => {
    const ai: WorkersAiBinding = { run: () => new Promise(() => {}) };
    const out = await createLlmAgent({ provider: createChatProvider(config("1000"), { ai }), inventory }).ask(
      {
        text: "hi",
        lang: "en",
      },
    );
    expect(out).toMatchObject({
      ok: false,
      error: { kind: "timeout", retryable: true, provider: "workers-ai" },
    });
  });

  it("cannot be chosen without the binding", () => {
    expect(() => createChatProvider(config())).toThrow(/AI binding/);
  });
});
