/**
 * A proposed code change: the files' new text, a unified diff (the `diff` package) and its hash,
 * checked against the service's limits before the operator ever sees it.
 */
import { createTwoFilesPatch, diffLines } from "diff";
import type { ChangedFile } from "../../protocol/code-actions.ts";
import type { CodeSpec } from "../../protocol/code-inventory.ts";

/** One file as the engine proposes it: what it was (null: new) and what it becomes. */
export interface FileChange {
  readonly path: string;
  readonly before: string | null;
  readonly baseSha256: string | null;
  readonly after: string;
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

export type ProposalResult = { ok: true; proposal: Proposal } | { ok: false; reason: string };

/** SHA-256 in hex with Web Crypto (the same on Workers and Node). */
export async function sha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

const forbiddenPath = (path: string): string | null => {
  const parts = path.split("/");
  if (path.startsWith("/") || parts.includes("..")) return `${path} is outside the source root`;
  if (parts.includes(".git")) return `${path} is inside .git, which voxops never writes`;
  return null;
};

/** Builds the diff and checks the limits: files, changed lines, size, binary content, paths. */
export async function buildProposal(
  input: Omit<Proposal, "diff" | "diffSha256" | "files" | "added" | "removed">,
  changes: readonly FileChange[],
  limits: Pick<CodeSpec, "maxFiles" | "maxLines" | "maxFileBytes">,
): Promise<ProposalResult> {
  const real = changes.filter((c) => c.before !== c.after);
  if (real.length === 0) return { ok: false, reason: "the proposed change changes nothing" };
  if (real.length > limits.maxFiles)
    return { ok: false, reason: `the change touches ${real.length} files; the limit is ${limits.maxFiles}` };
  let added = 0;
  let removed = 0;
  const patches: string[] = [];
  for (const c of real) {
    const bad = forbiddenPath(c.path);
    if (bad) return { ok: false, reason: bad };
    if (c.after.includes("\u0000")) return { ok: false, reason: `${c.path} would be a binary file` };
    if (new TextEncoder().encode(c.after).length > limits.maxFileBytes)
      return { ok: false, reason: `${c.path} would be larger than ${limits.maxFileBytes} bytes` };
    for (const part of diffLines(c.before ?? "", c.after)) {
      if (part.added) added += part.count ?? 0;
      if (part.removed) removed += part.count ?? 0;
    }
    patches.push(
      createTwoFilesPatch(
        c.before === null ? "/dev/null" : `a/${c.path}`,
        `b/${c.path}`,
        c.before ?? "",
        c.after,
        undefined,
        undefined,
        { context: 3 },
      ),
    );
  }
  if (added + removed > limits.maxLines)
    return {
      ok: false,
      reason: `the change has ${added + removed} changed lines; the limit is ${limits.maxLines}`,
    };
  const diff = patches.join("");
  return {
    ok: true,
    proposal: {
      ...input,
      diff,
      diffSha256: await sha256Hex(diff),
      files: real.map((c) => ({ path: c.path, content: c.after, baseSha256: c.baseSha256 })),
      added,
      removed,
    },
  };
}
