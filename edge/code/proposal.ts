/**
 * A proposed code change: the files' new text, a unified diff (the `diff` package) and its hash,
 * checked against the service's limits before the operator ever sees it.
 */
import { createTwoFilesPatch, diffLines, FILE_HEADERS_ONLY, OMIT_HEADERS } from "diff";
import type { ChangedFile } from "../../protocol/code-actions.ts";
import type { CodeSpec } from "../../protocol/code-inventory.ts";
import type { ChangeProblem } from "./change-problem.ts";

/**
 * One file as the engine proposes it: what it was (null: new) and what it becomes (null: deleted). The
 * new side of a rename names the path it comes from, whose deletion is another change of the same list.
 */
export interface FileChange {
  readonly path: string;
  readonly before: string | null;
  readonly baseSha256: string | null;
  readonly after: string | null;
  readonly renamedFrom?: string | undefined;
}

/** A proposal ready for confirmation. */
export interface Proposal {
  readonly vm: string;
  readonly service: string;
  readonly request: string;
  /** What the change does, in the operator's language. */
  readonly summary: string;
  readonly diff: string;
  readonly diffSha256: string;
  readonly files: readonly ChangedFile[];
  readonly added: number;
  readonly removed: number;
  readonly endpoint?: string;
}

/** The proposal, or the problem that keeps it from the operator. */
export type ProposalResult = { ok: true; proposal: Proposal } | { ok: false; problem: ChangeProblem };

/** SHA-256 in hex with Web Crypto (the same on Workers and Node). */
export async function sha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

const forbiddenPath = (path: string): ChangeProblem | null => {
  const parts = path.split("/");
  if (path.startsWith("/") || parts.includes("..")) return { kind: "outside-root", path };
  if (parts.includes(".git")) return { kind: "inside-git", path };
  return null;
};

/** The git-style header of one file's diff: `diff --git`, and new, deleted or renamed when it is. */
function gitHeader(c: FileChange): string {
  const from = c.renamedFrom ?? c.path;
  const lines = [`diff --git a/${from} b/${c.path}`];
  if (c.renamedFrom) lines.push(`rename from ${c.renamedFrom}`, `rename to ${c.path}`);
  else if (c.before === null) lines.push("new file mode 100644");
  else if (c.after === null) lines.push("deleted file mode 100644");
  return `${lines.join("\n")}\n`;
}

/** One file's part of the diff, git-style (the `diff` package makes the hunks). */
function filePatch(c: FileChange, before: string | null): string {
  const after = c.after ?? "";
  const pureRename = c.renamedFrom !== undefined && before === after;
  return (
    gitHeader(c) +
    createTwoFilesPatch(
      before === null ? "/dev/null" : `a/${c.renamedFrom ?? c.path}`,
      c.after === null ? "/dev/null" : `b/${c.path}`,
      before ?? "",
      after,
      undefined,
      undefined,
      { context: 3, headerOptions: pureRename ? OMIT_HEADERS : FILE_HEADERS_ONLY },
    )
  );
}

/** Builds the diff and checks the limits: files, changed lines, size, binary content, paths. */
export async function buildProposal(
  input: Omit<Proposal, "diff" | "diffSha256" | "files" | "added" | "removed">,
  changes: readonly FileChange[],
  limits: Pick<CodeSpec, "maxFiles" | "maxLines" | "maxFileBytes">,
): Promise<ProposalResult> {
  const real = changes.filter((c) => c.before !== c.after || c.renamedFrom !== undefined);
  if (real.length === 0) return { ok: false, problem: { kind: "changes-nothing" } };
  if (real.length > limits.maxFiles)
    return { ok: false, problem: { kind: "too-many-files", count: real.length, limit: limits.maxFiles } };
  const paths = real.map((c) => c.path);
  if (new Set(paths).size !== paths.length) return { ok: false, problem: { kind: "same-file-twice" } };
  let added = 0;
  let removed = 0;
  const patches: string[] = [];
  for (const c of real) {
    for (const p of [c.path, ...(c.renamedFrom === undefined ? [] : [c.renamedFrom])]) {
      const bad = forbiddenPath(p);
      if (bad) return { ok: false, problem: bad };
    }
    if (c.before === null && c.after === null)
      return { ok: false, problem: { kind: "missing", path: c.path } };
    // The old side of a rename: its text is the rename's "before", and the deletion is not shown twice.
    const source =
      c.renamedFrom === undefined
        ? undefined
        : real.find((d) => d.path === c.renamedFrom && d.after === null && d.before !== null);
    if (c.renamedFrom !== undefined && (!source || c.before !== null))
      return { ok: false, problem: { kind: "rename-source-kept", path: c.path, from: c.renamedFrom } };
    if (c.after === null && real.some((n) => n.renamedFrom === c.path)) continue;
    if (c.after?.includes("\u0000")) return { ok: false, problem: { kind: "binary", path: c.path } };
    if (c.after !== null && new TextEncoder().encode(c.after).length > limits.maxFileBytes)
      return { ok: false, problem: { kind: "file-too-large", path: c.path, limit: limits.maxFileBytes } };
    const before = source ? source.before : c.before;
    for (const part of diffLines(before ?? "", c.after ?? "")) {
      if (part.added) added += part.count ?? 0;
      if (part.removed) removed += part.count ?? 0;
    }
    patches.push(filePatch(c, before));
  }
  if (added + removed > limits.maxLines)
    return { ok: false, problem: { kind: "too-many-lines", count: added + removed, limit: limits.maxLines } };
  const diff = patches.join("");
  return {
    ok: true,
    proposal: {
      ...input,
      diff,
      diffSha256: await sha256Hex(diff),
      files: real.map((c) => ({
        path: c.path,
        content: c.after,
        baseSha256: c.baseSha256,
        ...(c.renamedFrom === undefined ? {} : { renamedFrom: c.renamedFrom }),
      })),
      added,
      removed,
    },
  };
}
