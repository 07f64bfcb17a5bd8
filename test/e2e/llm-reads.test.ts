/**
 * The LLM's read-only tool calls run as the person who asked: through the policy gate (their role and
 * their rate limit) and audited under their token, never as an `auto:llm` actor of its own. A Node host
 * with the real desk, a real sidecar process for vm1, and the Anthropic stand-in as the model.
 */

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { tokenFingerprint } from "../../edge/core/credentials.ts";
import { anthropicReply, startAnthropicStandIn } from "../llm/anthropic-stand-in.ts";
import type { Received, StandIn } from "../llm/stand-in-server.ts";
import { stopAll } from "../support/child.ts";
import { startWorld, tokens, type World } from "./world.ts";

const KEY = "sk-ant-stand-in-key-llm-reads";
let w: World;
let llm: StandIn;
beforeAll(async () => {
  llm = await startAnthropicStandIn(KEY);
  w = await startWorld({ LLM_PROVIDER: "anthropic", LLM_API_KEY: KEY, LLM_BASE_URL: llm.url });
}, 30_000);
afterAll(async () => {
  await w?.close();
  await llm?.close();
  await stopAll();
});

const audit = async (): Promise<any[]> =>
  (await w.api("/agent/audit?limit=500", { token: tokens.admin })).body.records;

/** The tool results the agent sent back to the model in a request. */
function toolResults(request: Received | undefined): { content: string; is_error?: boolean }[] {
  const body = request?.body as { messages?: { role: string; content: unknown }[] } | undefined;
  const last = body?.messages?.at(-1)?.content;
  return Array.isArray(last) ? last.filter((b: { type: string }) => b.type === "tool_result") : [];
}

/** How the audit names an API token's holder. */
const tokenActor = async (token: string) => `token:${await tokenFingerprint(token)}`;

const question = "why has grok-voice felt so sluggish since yesterday evening?";

describe("the LLM's reads", () => {
  it("run as the viewer who asked, are audited under their token, and give the model the VM's data", async () => {
    llm.script(
      anthropicReply("", [{ id: "s1", name: "status", input: { vm: "vm1" } }]),
      anthropicReply("grok-voice is running; nothing on vm1 explains it."),
    );
    const before = llm.received.length;
    const res = await w.api("/agent/ask", { method: "POST", body: { text: question }, token: tokens.viewer });
    expect(res.status).toBe(200);
    expect(llm.received.slice(before).flatMap((r) => r.problems)).toEqual([]);
    const results = toolResults(llm.received[before + 1]);
    expect(results).toHaveLength(1);
    expect(results[0]?.is_error).not.toBe(true);
    expect(results[0]?.content).toContain("grok-voice");

    const records = await audit();
    expect(records.filter((r) => r.actor.id === "llm")).toEqual([]);
    const reads = records.filter((r) => r.action === "status" && r.target === "vm1" && r.outcome === "ok");
    expect(reads.length).toBeGreaterThan(0);
    expect(reads.at(-1)?.actor).toEqual({ kind: "api", id: await tokenActor(tokens.viewer) });
  }, 30_000);

  it("count against the person's rate limit: past it, the gate refuses the read and the model is told", async () => {
    // One answer with more reads than the gate lets one person make in a minute (30).
    const calls = Array.from({ length: 34 }, (_, i) => ({
      id: `m${i}`,
      name: "metrics",
      input: { vm: "vm1" },
    }));
    llm.script(anthropicReply("", calls), anthropicReply("Some of the reads were refused."));
    const before = llm.received.length;
    const res = await w.api("/agent/ask", {
      method: "POST",
      body: { text: question },
      token: tokens.operator,
    });
    expect(res.status).toBe(200);
    const results = toolResults(llm.received[before + 1]);
    expect(results).toHaveLength(34);
    const refused = results.filter((r) => r.is_error);
    expect(refused.length).toBeGreaterThan(0);
    expect(refused[0]?.content).toMatch(/policy gate refused/);
    const records = await audit();
    const denied = records.filter((r) => r.action === "metrics" && r.outcome === "denied");
    expect(denied.length).toBe(refused.length);
    expect(denied[0]?.actor).toEqual({ kind: "api", id: await tokenActor(tokens.operator) });
  }, 60_000);
});
