/**
 * The port a code change works a service's source tree through: writes, removals, checks, git and the
 * coding agent. `code-tree.ts` gives the sidecar's own implementation and picks it or the root helper's
 * (`owner-code-tree.ts`).
 */
import type { ExecResult } from "../adapters/exec.ts";
import type { AgentOutcome } from "./agent-worktree.ts";
import type { SearchHit } from "./confined-walk.ts";

/** One check of a change: a built-in syntax check of a written file, or the inventory's check by its index. */
export type CheckStep =
  | { readonly kind: "syntax"; readonly rel: string }
  | { readonly kind: "declared"; readonly index: number };

/** A finished check: its exit code and output. */
export interface CheckRun {
  readonly code: number;
  readonly output: string;
}

/** Bounds of one long step. */
export interface StepBounds {
  readonly timeoutMs: number;
  readonly signal?: AbortSignal | undefined;
}

/** The service's source tree as a change sees it. */
export interface CodeTree {
  /** Who the steps run as, for the report ("shop", or "the sidecar's own user"). */
  readonly runsAs: string;
  /** Writes `content` to `rel` (a path the source root already resolved), atomically. */
  write(rel: string, content: string | Buffer, mode?: number): Promise<void>;
  /** Removes the file at `rel`; no error when it is gone. */
  remove(rel: string): Promise<void>;
  /** Runs one check in the source root. */
  check(step: CheckStep, bounds: StepBounds): Promise<CheckRun>;
  /** Runs a read-only git command (rev-parse, log, show, diff-tree) in the source root. */
  git(args: readonly string[]): Promise<ExecResult>;
  /** Commits `paths` with `message` when the root is a git checkout; the commit id, or null when there is none. */
  commit(paths: readonly string[], message: string): Promise<string | null>;
  /** Runs the service's coding agent in a scratch worktree. */
  agent(request: string, bounds: StepBounds): Promise<AgentOutcome>;
}

/** A listing: the directory listed (from the root, "." for the root), its entries, whether some were left out. */
export interface TreeListing {
  readonly dir: string;
  readonly entries: string[];
  readonly truncated: boolean;
}

/** The reads of one service's tree. */
export interface TreeReads {
  /** Lists `dir` (the root when undefined) `depth` levels down. */
  list(dir: unknown, depth: number): Promise<TreeListing>;
  /** Reads one whole text file, within the root's size cap. */
  read(path: unknown): Promise<{ rel: string; bytes: Buffer }>;
  /** The lines containing `text`, case-insensitive, at most `maxHits`. */
  search(text: string, maxHits: number): Promise<{ hits: SearchHit[]; filesSearched: number }>;
}
