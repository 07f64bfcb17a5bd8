/** Follows the journal (`journalctl -f -o json --all -n 0`) and hands each new entry to a callback. */
import { spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { type JournalEntry, parseJournalJson } from "./journal-entry.ts";

/** What to follow and where to send it. */
export interface JournalFollowOptions {
  readonly journalctl: string;
  readonly env: NodeJS.ProcessEnv;
  /** Units to follow; none means the whole journal. */
  readonly units?: readonly string[];
  readonly onEntry: (entry: JournalEntry) => void;
  /** Called once if journalctl ends on its own (the caller decides whether to follow again). */
  readonly onEnd?: (reason: string) => void;
}

/** A running follow. */
export interface JournalFollow {
  /** Resolves once journalctl has printed its first output or a short while has passed. */
  readonly ready: Promise<void>;
  /** Stops following; resolves when journalctl has exited. */
  stop(): Promise<void>;
}

/** Starts journalctl in follow mode; only entries written after the start are delivered. */
export function followJournal(options: JournalFollowOptions): JournalFollow {
  // --all: long messages (over 4096 bytes) come whole instead of as null. --since=now, not -n 0: with
  // unit matches, systemd 252's `journalctl -f -n 0` seeks past entries written after it started and
  // delivers only the last of a burst (seen on a real systemd: a service's EADDRINUSE lines were
  // skipped and only "Failed with result" arrived); --since=now delivers every one.
  const args = ["--no-pager", "-q", "-f", "--since=now", "-o", "json", "--all"];
  for (const u of options.units ?? []) args.push("-u", u);
  const child = spawn(options.journalctl, args, { env: options.env, stdio: ["ignore", "pipe", "pipe"] });
  let stopping = false;
  let stderr = "";
  child.stderr.on("data", (b: Buffer) => {
    stderr = `${stderr}${b.toString("utf8")}`.slice(-2000);
  });
  createInterface({ input: child.stdout }).on("line", (line) => {
    const e = parseJournalJson(line);
    if (e) options.onEntry(e);
  });
  const exited = new Promise<void>((resolve) => {
    child.on("close", (code, signal) => {
      if (!stopping)
        options.onEnd?.(`journalctl ended (${signal ?? `exit ${code}`}) ${stderr.trim()}`.trim());
      resolve();
    });
    child.on("error", (e) => {
      if (!stopping) options.onEnd?.(`cannot run journalctl: ${e.message}`);
      resolve();
    });
  });
  // journalctl -f prints nothing until a new entry arrives; give it a moment to open the journal.
  const ready = new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, 300);
    void exited.then(() => {
      clearTimeout(timer);
      resolve();
    });
  });
  return {
    ready,
    async stop() {
      stopping = true;
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
      await exited;
    },
  };
}
