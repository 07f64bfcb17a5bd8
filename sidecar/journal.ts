/**
 * The sidecar's command journal: an append-only file that remembers which commands ran and which
 * results and events the controller has not yet acknowledged. It makes a command delivered twice
 * run once, and keeps results produced while the link was down until they are delivered.
 */
import { appendFileSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { EventFrame, ResultFrame } from "../protocol/frames.ts";

type Outgoing = ResultFrame | EventFrame;

/** What the journal knows of one command or event. */
export interface JournalEntry {
  readonly id: string;
  state: "running" | "done";
  frame?: Outgoing;
  acked: boolean;
  /** The controller this entry belongs to. */
  origin: string;
  at: number;
}

type Line =
  | { op: "run"; id: string; origin: string; at: number }
  | { op: "done"; id: string; origin: string; at: number; frame: Outgoing }
  | { op: "ack"; id: string };

/** The journal's operations. */
export interface Journal {
  get(id: string): JournalEntry | undefined;
  start(id: string, origin: string): void;
  finish(id: string, origin: string, frame: Outgoing): void;
  ack(id: string): void;
  /** Frames for `origin` still waiting for an ack, oldest first. */
  unacked(origin: string): Outgoing[];
}

const MAX_ENTRIES = 2000;

/** Opens the journal in `dir`; commands left running by a previous process are closed as interrupted. */
export function openJournal(dir: string, now: () => number = Date.now): Journal {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const file = join(dir, "journal.jsonl");
  const entries = new Map<string, JournalEntry>();
  let lines = 0;

  const apply = (line: Line): void => {
    if (line.op === "run")
      entries.set(line.id, { id: line.id, state: "running", acked: false, origin: line.origin, at: line.at });
    else if (line.op === "done")
      entries.set(line.id, {
        id: line.id,
        state: "done",
        frame: line.frame,
        acked: false,
        origin: line.origin,
        at: line.at,
      });
    else {
      const e = entries.get(line.id);
      if (e) e.acked = true;
    }
  };

  let text = "";
  try {
    text = readFileSync(file, "utf8");
  } catch {
    // A missing journal is a fresh sidecar.
  }
  for (const raw of text.split("\n")) {
    if (raw.trim() === "") continue;
    try {
      apply(JSON.parse(raw) as Line);
    } catch {
      // A torn last line after a crash is skipped.
    }
  }

  const write = (line: Line): void => {
    apply(line);
    appendFileSync(file, `${JSON.stringify(line)}\n`, { mode: 0o600 });
    if (++lines > MAX_ENTRIES * 2) compact();
  };

  function compact(): void {
    const keep = [...entries.values()].sort((a, b) => a.at - b.at).slice(-MAX_ENTRIES);
    entries.clear();
    const out: string[] = [];
    for (const e of keep) {
      entries.set(e.id, e);
      out.push(
        JSON.stringify(
          e.state === "running"
            ? { op: "run", id: e.id, origin: e.origin, at: e.at }
            : { op: "done", id: e.id, origin: e.origin, at: e.at, frame: e.frame },
        ),
      );
      if (e.acked) out.push(JSON.stringify({ op: "ack", id: e.id }));
    }
    writeFileSync(`${file}.tmp`, out.length > 0 ? `${out.join("\n")}\n` : "", { mode: 0o600 });
    renameSync(`${file}.tmp`, file);
    lines = out.length;
  }

  for (const e of [...entries.values()]) {
    if (e.state !== "running") continue;
    write({
      op: "done",
      id: e.id,
      origin: e.origin,
      at: now(),
      frame: {
        type: "result",
        id: e.id,
        ok: false,
        error: {
          code: "interrupted",
          message: "the sidecar restarted while this command ran; it was not run again",
          retryable: false,
        },
      },
    });
  }
  compact();

  return {
    get: (id) => entries.get(id),
    start: (id, origin) => write({ op: "run", id, origin, at: now() }),
    finish: (id, origin, frame) => write({ op: "done", id, origin, at: now(), frame }),
    ack: (id) => {
      if (entries.has(id)) write({ op: "ack", id });
    },
    unacked: (origin) =>
      [...entries.values()]
        .filter((e) => e.state === "done" && !e.acked && e.origin === origin && e.frame)
        .sort((a, b) => a.at - b.at)
        .map((e) => e.frame as Outgoing),
  };
}
