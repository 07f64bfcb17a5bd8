/** Proposals: the unified diff, its hash, the limits, and exact edits. */
import { describe, expect, it } from "vitest";
import { changeProblemText } from "./change-problem.ts";
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
    expect(r.ok ? "" : changeProblemText(r.problem, "en")).toContain(reason);
  });
});

describe("deletions and renames", () => {
  const big = { maxFiles: 5, maxLines: 50, maxFileBytes: 1000 };
  it("shows a deleted file and a renamed one git-style, and sends the deletion and the move", async () => {
    const r = await buildProposal(
      input,
      [{ path: "moved.js", before: null, baseSha256: null, after: "s\n", renamedFrom: "same.js" }],
      big,
    );
    // A rename whose source the change does not remove is refused.
    expect(r.ok ? "" : changeProblemText(r.problem, "en")).toContain("does not remove");
    const ok = await buildProposal(
      input,
      [
        { path: "old.js", before: "a\nb\n", baseSha256: "1".repeat(64), after: null },
        { path: "lib/new.js", before: null, baseSha256: null, after: "a\nB\n", renamedFrom: "old.js" },
        { path: "gone.txt", before: "x\n", baseSha256: "2".repeat(64), after: null },
        { path: "keep.js", before: "k\n", baseSha256: "3".repeat(64), after: null },
        { path: "kept.js", before: null, baseSha256: null, after: "k\n", renamedFrom: "keep.js" },
      ],
      big,
    );
    expect(ok.ok).toBe(true);
    if (!ok.ok) return;
    const d = ok.proposal.diff;
    expect(d).toContain(
      "diff --git a/old.js b/lib/new.js\nrename from old.js\nrename to lib/new.js\n--- a/old.js\n+++ b/lib/new.js\n",
    );
    expect(d).toContain("-b\n+B\n");
    expect(d).toContain(
      "diff --git a/gone.txt b/gone.txt\ndeleted file mode 100644\n--- a/gone.txt\n+++ /dev/null\n",
    );
    // A pure rename has no hunks, as git shows it.
    expect(d).toContain("diff --git a/keep.js b/kept.js\nrename from keep.js\nrename to kept.js\n");
    expect(d).not.toContain("+++ b/kept.js");
    // The renamed file's old side is not shown a second time as a deletion.
    expect(d).not.toContain("diff --git a/old.js b/old.js");
    expect([ok.proposal.added, ok.proposal.removed]).toEqual([1, 2]);
    expect(ok.proposal.files).toEqual([
      { path: "old.js", content: null, baseSha256: "1".repeat(64) },
      { path: "lib/new.js", content: "a\nB\n", baseSha256: null, renamedFrom: "old.js" },
      { path: "gone.txt", content: null, baseSha256: "2".repeat(64) },
      { path: "keep.js", content: null, baseSha256: "3".repeat(64) },
      { path: "kept.js", content: "k\n", baseSha256: null, renamedFrom: "keep.js" },
    ]);
  });
  it.each([
    ["../x.js", "a.js", "outside the source root"],
    ["a.js", ".git/config", ".git"],
    [".git/HEAD", "a.js", ".git"],
  ])("refuses a rename from %s to %s (%s)", async (from, to, reason) => {
    const r = await buildProposal(
      input,
      [
        { path: from, before: "t\n", baseSha256: "1".repeat(64), after: null },
        { path: to, before: null, baseSha256: null, after: "t\n", renamedFrom: from },
      ],
      big,
    );
    expect(r.ok ? "" : changeProblemText(r.problem, "en")).toContain(reason);
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
