// A config change proposed through the LLM is confirmed with the change in view: the read-back shows
// a unified diff of the replacement (or the new content), in the operator's language.
import { afterEach, describe, expect, it } from "vitest";
import { admin, benchInventory, createDeskBench, type DeskBench } from "../../test/desk/desk-bench.ts";
import { createLlmAgent } from "../llm/agent.ts";
import type { ChatProvider, ChatRequest } from "../llm/chat.ts";
import { readBack } from "./policy.ts";

/** A STAND-IN for the model: checks it is offered the config tool and proposes one config change. */
function configProposingModel(args: Record<string, unknown>): ChatProvider & { requests: ChatRequest[] } {
  const requests: ChatRequest[] = [];
  return {
    name: "stand-in",
    requests,
    async chat(request) {
      requests.push(request);
      if (!request.tools.some((t) => t.name === "config"))
        return { text: "no config tool offered", toolCalls: [] };
      if (requests.length > 1) return { text: "", toolCalls: [] };
      return { text: "", toolCalls: [{ id: "call-1", name: "config", args: { vm: "vm1", ...args } }] };
    },
  };
}

let b: DeskBench | undefined;
afterEach(() => {
  b?.close();
  b = undefined;
});

describe("config confirmations show the change", () => {
  it("an LLM-proposed patch is read back with its diff, and nothing runs before the confirmation", async () => {
    const model = configProposingModel({
      service: "nginx",
      file: "nginx.conf",
      patch: [{ find: "worker_processes 1;\nlisten 8080;", replace: "worker_processes 1;\nlisten 8081;" }],
    });
    b = createDeskBench({ llm: { agent: createLlmAgent({ provider: model, inventory: benchInventory }) } });
    b.connect("vm1");
    const reply = await b.desk.handleText({
      actor: admin,
      text: "change the nginx config on vm1 so it listens on port 8081 instead of 8080",
      lang: "en",
    });
    expect(model.requests.length).toBeGreaterThan(0);
    expect(reply.pendingConfirmation).toBe(true);
    expect(reply.text).toContain("Change the nginx config (nginx.conf) on vm1 (main)?");
    expect(reply.text).toContain(
      "The change (1 replacement):\n  worker_processes 1;\n- listen 8080;\n+ listen 8081;",
    );
    expect(b.sent).toEqual([]);
  });

  it("reads back new content and a long diff clipped, in Russian too", () => {
    const base = { vm: "vm1", target: { role: "main" } } as const;
    const content = readBack({
      ...base,
      action: "config",
      args: { service: "nginx", file: "site.conf", content: "server {\n  listen 80;\n}\n" },
      lang: "ru",
    });
    expect(content).toBe(
      "Изменить конфигурацию nginx (site.conf) на vm1 (main)?\nНовое содержимое файла (3 строк):\n+ server {\n+   listen 80;\n+ }",
    );
    const many = Array.from({ length: 40 }, (_, i) => `line ${i}`).join("\n");
    const long = readBack({
      ...base,
      action: "config",
      args: { service: "nginx", patch: [{ find: many, replace: many.replace("line 3", "line three") }] },
      lang: "en",
    });
    expect(long.split("\n")).toHaveLength(1 + 1 + 24 + 1);
    expect(long).toContain("- line 3\n+ line three");
    expect(long).toMatch(/… and 17 more lines$/);
  });
});
