/**
 * The findings log: every finding and what became of it, one JSON object a line in
 * <stateDir>/autofix/findings.jsonl, so the `errors` action, the `fix` action and the alerts tell one
 * story, across sidecar restarts. The file is kept small by dropping its older half.
 */
import { appendFile, mkdir, readFile, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { Finding } from "./rule-kit/finding.ts";

/** What became of a finding. */
export type Outcome = "repaired" | "failed" | "reported" | "skipped" | "paused";

/** The summary of a "skipped" outcome when the controller did not approve the repair in time. */
export const NOT_APPROVED = "not-approved";

/** A finding with its latest outcome, as `errors` shows it. */
export interface LoggedFinding {
  readonly finding: Finding;
  readonly outcome: Outcome | null;
  readonly summary: string | null;
  readonly outcomeAt: number | null;
}

type Record_ =
  | { readonly type: "finding"; readonly finding: Finding }
  | {
      readonly type: "outcome";
      readonly id: string;
      readonly outcome: Outcome;
      readonly summary: string;
      readonly at: number;
    };

const MAX_BYTES = 512 * 1024;

/** Where the log of a state directory is. */
export function findingsPath(stateDir: string): string {
  return join(stateDir, "autofix", "findings.jsonl");
}

async function append(stateDir: string, record: Record_): Promise<void> {
  const path = findingsPath(stateDir);
  await mkdir(join(stateDir, "autofix"), { recursive: true });
  await appendFile(path, `${JSON.stringify(record)}\n`);
  const size = (await stat(path).catch(() => null))?.size ?? 0;
  if (size > MAX_BYTES) {
    const lines = (await readFile(path, "utf8")).split("\n").filter((l) => l !== "");
    await writeFile(path, `${lines.slice(Math.floor(lines.length / 2)).join("\n")}\n`);
  }
}

/** Records a finding. */
export function recordFinding(stateDir: string, finding: Finding): Promise<void> {
  return append(stateDir, { type: "finding", finding });
}

/** Records what became of a finding. */
export function recordOutcome(
  stateDir: string,
  id: string,
  outcome: Outcome,
  summary: string,
  at: number,
): Promise<void> {
  return append(stateDir, { type: "outcome", id, outcome, summary: summary.slice(0, 500), at });
}

/** Findings at or after `sinceMs` (of one service if given), newest first, with their latest outcome. */
export async function readFindings(
  stateDir: string,
  sinceMs: number,
  service?: string,
): Promise<LoggedFinding[]> {
  let text: string;
  try {
    text = await readFile(findingsPath(stateDir), "utf8");
  } catch {
    return [];
  }
  const byId = new Map<
    string,
    { finding: Finding; outcome: Outcome | null; summary: string | null; at: number | null }
  >();
  for (const line of text.split("\n")) {
    if (line === "") continue;
    let r: Record_;
    try {
      r = JSON.parse(line) as Record_;
    } catch {
      continue;
    }
    if (r.type === "finding" && typeof r.finding?.id === "string")
      byId.set(r.finding.id, { finding: r.finding, outcome: null, summary: null, at: null });
    else if (r.type === "outcome") {
      const f = byId.get(r.id);
      if (f) Object.assign(f, { outcome: r.outcome, summary: r.summary, at: r.at });
    }
  }
  return [...byId.values()]
    .filter((f) => f.finding.at >= sinceMs && (service === undefined || f.finding.service === service))
    .sort((a, b) => b.finding.at - a.finding.at)
    .map((f) => ({ finding: f.finding, outcome: f.outcome, summary: f.summary, outcomeAt: f.at }));
}
