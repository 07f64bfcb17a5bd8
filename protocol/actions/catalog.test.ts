import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { gitRefSchema, parseAction, relativePathSchema } from "./catalog.ts";

/** What real git says of a ref name. */
function gitAccepts(ref: string): boolean {
  try {
    execFileSync("git", ["check-ref-format", "--allow-onelevel", ref], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

describe("arguments that would reach a program's argument vector", () => {
  it("refuses a path with any part that starts with '-'", () => {
    for (const path of ["-rf", "--output", "data/-x", "a/b/--help"]) {
      expect(relativePathSchema.safeParse(path).success).toBe(false);
      expect(parseAction("restore", { path })).toMatchObject({
        ok: false,
        code: "invalid-args",
        message: "restore: path: no part of a path may start with '-'",
      });
    }
    for (const path of ["data/a-b.json", "x-/y", "notes.md"])
      expect(relativePathSchema.safeParse(path).success).toBe(true);
  });

  it("refuses a git ref with '..' itself, first, with its own message", () => {
    expect(parseAction("deploy", { service: "grok-voice", ref: "main..HEAD" })).toMatchObject({
      ok: false,
      message: "deploy: ref: a git ref may not contain '..'",
    });
    expect(parseAction("restore", { path: "data", ref: "v1..v2" })).toMatchObject({
      ok: false,
      message: "restore: ref: a git ref may not contain '..'",
    });
  });

  it("accepts only refs that real git accepts too", () => {
    const candidates = [
      "main",
      "v1.2.3",
      "feature/voice",
      "a..b",
      "a/.hidden",
      "topic.lock",
      "a/b.lock/c",
      "x//y",
      "end/",
      "end.",
      "at@{1}",
      "abc123def",
      "release/2026-11",
      "a.b/c_d-e",
      "HEAD",
    ];
    for (const ref of candidates) {
      const ours = gitRefSchema.safeParse(ref).success;
      if (ours) expect({ ref, git: gitAccepts(ref) }).toEqual({ ref, git: true });
    }
    expect(candidates.filter((ref) => gitRefSchema.safeParse(ref).success)).toEqual([
      "main",
      "v1.2.3",
      "feature/voice",
      "abc123def",
      "release/2026-11",
      "a.b/c_d-e",
      "HEAD",
    ]);
  });
});
