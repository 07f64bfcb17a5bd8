import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { cycles, folderGraph, importGraph } from "./import-graph.ts";

const root = resolve(import.meta.dirname, "..", "..");
const folders = ["edge", "sidecar", "protocol"];
const runtime = importGraph(root, folders, { types: false });
const withTypes = importGraph(root, folders, { types: true });

describe("import cycles", () => {
  it("reads the real source tree, with and without type-only imports", () => {
    expect(runtime.size).toBeGreaterThan(100);
    expect(runtime.get("sidecar/actions/config.ts")).toContain("sidecar/actions/config-validate.ts");
    expect(runtime.get("sidecar/autofix/fix-observers.ts")).not.toContain("sidecar/autofix/fix-result.ts");
    expect(withTypes.get("sidecar/autofix/fix-observers.ts")).toContain("sidecar/autofix/fix-result.ts");
  });

  it("finds a cycle when there is one, and none in a chain", () => {
    const chain = new Map([
      ["a.ts", new Set(["b.ts"])],
      ["b.ts", new Set(["c.ts"])],
      ["c.ts", new Set<string>()],
    ]);
    expect(cycles(chain)).toEqual([]);
    chain.get("c.ts")?.add("a.ts");
    expect(cycles(chain)).toEqual([["a.ts", "b.ts", "c.ts"]]);
    expect(
      cycles(
        folderGraph(
          new Map([
            ["x/a.ts", new Set(["y/b.ts"])],
            ["y/b.ts", new Set(["x/c.ts"])],
          ]),
        ),
      ),
    ).toEqual([["x", "y"]]);
  });

  it("has no file-level import cycle in edge/ and sidecar/", () => {
    expect(cycles(runtime).map((c) => c.join(" -> "))).toEqual([]);
  });

  it("keeps edge and sidecar apart: both import protocol/, neither imports the other, protocol imports neither", () => {
    const crossing: string[] = [];
    for (const [file, targets] of withTypes) {
      const from = file.split("/")[0];
      for (const target of targets) {
        const to = target.split("/")[0];
        const allowed = from === to || to === "protocol";
        if (!allowed) crossing.push(`${file} -> ${target}`);
      }
    }
    expect(crossing).toEqual([]);
  });

  it("no longer has the fix action <-> fix observers circle, even through types", () => {
    const circles = cycles(withTypes).filter((c) => c.includes("sidecar/autofix/fix-action.ts"));
    expect(circles).toEqual([]);
  });

  it("has no file-level import cycle anywhere, even through type-only imports", () => {
    expect(cycles(withTypes).map((c) => c.join(", "))).toEqual([]);
  });

  it("has no folder-level import circle anywhere, even through type-only imports", () => {
    expect(cycles(folderGraph(withTypes)).map((c) => c.join(", "))).toEqual([]);
  });

  it("keeps the sidecar's service operations and the rules' kit below the folders that use them", () => {
    const upward: string[] = [];
    const users = ["sidecar/actions/", "sidecar/autofix/", "sidecar/code/", "sidecar/creation/"];
    for (const [file, targets] of withTypes)
      for (const target of targets) {
        const fromServices = file.startsWith("sidecar/services/") && users.some((u) => target.startsWith(u));
        const fromKit =
          file.startsWith("sidecar/autofix/rule-kit/") &&
          target.startsWith("sidecar/autofix/") &&
          !target.startsWith("sidecar/autofix/rule-kit/");
        if (fromServices || fromKit) upward.push(`${file} -> ${target}`);
      }
    expect(withTypes.has("sidecar/services/handler.ts")).toBe(true);
    expect(withTypes.has("sidecar/autofix/rule-kit/plan.ts")).toBe(true);
    expect(upward).toEqual([]);
  });
});
