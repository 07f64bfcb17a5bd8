import { describe, expect, it } from "vitest";
import { agentEnvNames, codeSpecSchema } from "./code-inventory.ts";

const withEnv = (agentEnv: unknown) =>
  codeSpecSchema.safeParse({ root: "/srv/api", engine: { agent: ["claude", "-p", "{request}"], agentEnv } });

describe("the coding agent's agentEnv", () => {
  it("takes names of environment variables, and defaults to none", () => {
    expect(withEnv(["ANTHROPIC_API_KEY", "OPENAI_API_KEY", "_X1"]).success).toBe(true);
    const parsed = codeSpecSchema.parse({ root: "/srv/api", engine: { agent: ["aider"] } });
    expect(parsed.engine !== "built-in" && parsed.engine.agentEnv).toEqual([]);
  });

  it.each([
    ["a value instead of a name", "ANTHROPIC_API_KEY=sk-1"],
    ["a leading digit", "1KEY"],
    ["a shell character", "KEY;rm"],
    ["a variable voxops sets", "PATH"],
    ["HOME, which the agent gets of its own", "HOME"],
    ["a loader setting", "LD_PRELOAD"],
    ["git's settings", "GIT_DIR"],
    ["node's options", "NODE_OPTIONS"],
    ["voxops's own settings", "VOXOPS_SIDECAR_KEY"],
  ])("refuses %s", (_what, name) => {
    const r = withEnv([name]);
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.path).toEqual(["engine", "agentEnv", 0]);
  });

  it("collects the names the agents of a VM's services need, each once", () => {
    const code = (agentEnv: string[]) =>
      codeSpecSchema.parse({ root: "/srv/a", engine: { agent: ["aider"], agentEnv } });
    expect(
      agentEnvNames([
        { code: code(["A_KEY", "B_KEY"]) },
        { code: code(["B_KEY"]) },
        { code: codeSpecSchema.parse({ root: "/srv/b" }) },
        {},
      ]),
    ).toEqual(["A_KEY", "B_KEY"]);
  });
});
