/**
 * The port a code change works a service's source tree through: writes, removals, checks, git and the
 * coding agent. `code-tree.ts` gives the sidecar's own implementation and picks it or the root helper's
 * (`owner-code-tree.ts`).
 */
import type { ExecResult } from "../adapters/exec.ts";
import type { AgentOutcome } from "./agent-worktree.ts";

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
