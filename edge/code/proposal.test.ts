/** Proposals: the unified diff, its hash, the limits, and exact edits. */
import { describe, expect, it } from "vitest";
import { applyEdits } from "./edits.ts";
import { buildProposal, sha256Hex } from "./proposal.ts";

const limits = { maxFiles: 2, maxLines: 10, maxFileBytes: 1000 };
const input = { vm: "vm1", service: "api", request: "add /health", summary: "adds /health" };

describe("buildProposal", () => {
  it("makes a unified diff of every changed file, counts lines and hashes the diff", async () => {
    const r = await buildProposal(
      input,
      [
        { path: "app.js", before: "a\nb\n", baseSha256: "0".repeat(64), after: "a\nc\n" },
        { path: "new.js", before: null, baseSha256: null, after: "x\n" },
        { path: "same.js", before: "s\n", baseSha256: "1".repeat(64), after: "s\n" },
      ],
      limits,
    );
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.proposal.diff).toContain("--- a/app.js\n+++ b/app.js");
    expect(r.proposal.diff).toContain("-b\n+c");
    expect(r.proposal.diff).toContain("--- /dev/null\n+++ b/new.js");
    expect(r.proposal.files.map((f) => f.path)).toEqual(["app.js", "new.js"]);
    expect([r.proposal.added, r.proposal.removed]).toEqual([2, 1]);
    expect(r.proposal.diffSha256).toBe(await sha256Hex(r.proposal.diff));
  });
  it.each([
    [
      [
        { path: "a", before: "", after: "1\n" },
        { path: "b", before: "", after: "1\n" },
        { path: "c", before: "", after: "1\n" },
      ],
      "3 files",
    ],
    [[{ path: "a", before: "", after: "1\n".repeat(11) }], "11 changed lines"],
    [[{ path: "a", before: "", after: "x".repeat(1001) }], "larger than 1000 bytes"],
    [[{ path: "a.bin", before: "", after: "\u0000\u0001" }], "binary"],
    [[{ path: ".git/hooks/post-commit", before: null, after: "x" }], ".git"],
    [[{ path: "../etc/passwd", before: null, after: "x" }], "outside the source root"],
    [[{ path: "a", before: "same", after: "same" }], "changes nothing"],
  ])("refuses %#: %s", async (changes, reason) => {
    const r = await buildProposal(
      input,
      changes.map((c) => ({ ...c, baseSha256: null })),
      limits,
    );
    expect(r).toEqual({ ok: false, reason: expect.stringContaining(reason) });
  });
});

describe("applyEdits", () => {
  it("replaces text that occurs exactly once", () => {
    expect(applyEdits("a b c", [{ find: "b", replace: "B" }])).toEqual({ ok: true, text: "a B c" });
  });
  it("refuses a missing or ambiguous find", () => {
    expect(applyEdits("a b", [{ find: "z", replace: "" }])).toMatchObject({ ok: false });
    expect(applyEdits("b b", [{ find: "b", replace: "" }])).toMatchObject({
      ok: false,
      reason: expect.stringContaining("more than once"),
    });
  });
});
