/**
 * The agent engine reads `code-agent`'s answer through the definition's output schema: an answer that
 * fits becomes a proposal, one that does not is said to be unreadable (naming the sidecar's version),
 * never "the agent could not run". The controller here is a stand-in for the dispatch port only.
 */
import { describe, expect, it } from "vitest";
import type { CodeSpec } from "../../protocol/code-inventory.ts";
import type { CommandOutcome, Controller } from "../core/controller.ts";
import { createAgentEngine } from "./agent-engine.ts";
import { engineFailureText } from "./engine-failure.ts";
import type { SourceReader } from "./source-reader.ts";

/** A controller stand-in that answers every dispatch with `output` and reports `version` for vm1. */
function controllerAnswering(output: unknown, version: string | null): Controller {
  const outcome: CommandOutcome = {
    id: "c1",
    ok: true,
    vm: "vm1",
    action: "code-agent",
    output,
    durationMs: 5,
  };
  return {
    dispatch: async (req: { action: string }) => {
      expect(req.action).toBe("code-agent");
      return outcome;
    },
    fleet: () => [{ vm: "vm1", sidecarVersion: version }],
  } as unknown as Controller;
}

const reader: SourceReader = {
  list: async () => [],
  read: async () => {
    throw new Error("not read");
  },
  readWhole: async (path) => ({ path, text: "old\n", sha256: "a".repeat(64), totalLines: 1, whole: true }),
  search: async () => [],
};

const code = {
  root: "/srv/api",
  engine: { agent: ["agent", "{request}"], timeoutS: 10 },
} as unknown as CodeSpec;

function propose(controller: Controller, lang: "ru" | "en" = "en") {
  const engine = createAgentEngine(controller, () => ({ id: "op", role: "admin" }) as never);
  return engine.propose({ vm: "vm1", service: "api", code, request: "add /health", lang, reader });
}

describe("the agent engine reads code-agent's typed output", () => {
  it("turns a fitting answer into changes, with what was left out", async () => {
    const r = await propose(
      controllerAnswering(
        {
          vm: "vm1",
          service: "api",
          files: [{ path: "app.js", content: "new\n" }],
          skipped: [{ path: ".env", why: "not-writable" }],
          output: "done: added /health",
        },
        "1.2.0",
      ),
    );
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.changes).toEqual([
      { path: "app.js", before: "old\n", baseSha256: "a".repeat(64), after: "new\n" },
    ]);
    expect(r.summary).toBe(
      'a change from the coding agent: "done: added /health". Left out: .env (not a path voxops writes).',
    );
  });

  it.each([
    [
      "an older sidecar's answer without skipped files",
      { files: [{ path: "app.js", content: "x" }], output: "" },
    ],
    ["files in another form", { vm: "vm1", service: "api", files: "app.js", skipped: [], output: "" }],
  ])("says %s is unreadable, naming the sidecar's version, in both languages", async (_what, output) => {
    for (const lang of ["en", "ru"] as const) {
      const r = await propose(controllerAnswering(output, "0.9.1"), lang);
      expect(r.ok).toBe(false);
      if (r.ok) return;
      expect(r.failure).toEqual({ kind: "agent-unreadable", vm: "vm1", sidecarVersion: "0.9.1" });
      const text = engineFailureText(r.failure, lang);
      expect(text).toContain(lang === "en" ? "(sidecar version 0.9.1)" : "(версия сайдкара 0.9.1)");
      expect(text).not.toMatch(/could not run|не запустился/);
    }
  });
});
