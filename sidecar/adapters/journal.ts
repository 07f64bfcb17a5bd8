/** The journald adapter: last lines of a unit, entries since a time at a priority, and vacuuming. */
import { existsSync } from "node:fs";
import { AdapterError } from "./adapter-error.ts";
import { type ExecResult, execArgv, tail } from "./exec.ts";
import { type JournalEntry, parseJournalJson } from "./journal-entry.ts";
import { followJournal, type JournalFollow, type JournalFollowOptions } from "./journal-follow.ts";
import { noSystemdError } from "./systemd.ts";

/** Which entries to read. */
export interface JournalQuery {
  /** Units to read; none means the whole journal. */
  readonly units?: readonly string[];
  readonly sinceMs?: number;
  /** Most severe .. this priority (3 = err and worse). */
  readonly priority?: number;
  /** At most this many of the newest entries. */
  readonly lines?: number;
  /** The kernel's messages of this boot (`-k`) instead of units' (the OOM killer's records). */
  readonly kernel?: boolean;
}

/** The journald operations the sidecar uses. */
export interface Journal {
  /** The last `lines` lines of a unit as `journalctl -o short-iso` prints them (timestamp first). */
  tail(unit: string, lines: number): Promise<string[]>;
  /** Entries matching a query, oldest first. */
  entries(query: JournalQuery): Promise<JournalEntry[]>;
  /** Follows new entries of some units (or all) until stopped. */
  follow(options: Omit<JournalFollowOptions, "journalctl" | "env">): JournalFollow;
  /** Shrinks the journal to at most `maxBytes`; returns journalctl's own report. */
  vacuum(maxBytes: number): Promise<string>;
}

/** Where journalctl is. */
export interface JournalOptions {
  readonly journalctl?: string;
  readonly env?: NodeJS.ProcessEnv;
  readonly timeoutMs?: number;
}

function unitArgs(units: readonly string[] | undefined): string[] {
  return (units ?? []).flatMap((u) => ["-u", u]);
}

/** Creates the adapter over a journalctl binary (env VOXOPS_JOURNALCTL, default "journalctl"). */
export function createJournal(options: JournalOptions = {}): Journal {
  const env = options.env ?? process.env;
  const bin = options.journalctl ?? env["VOXOPS_JOURNALCTL"] ?? "journalctl";
  const run = async (args: string[]): Promise<ExecResult> => {
    const r = await execArgv(bin, ["--no-pager", "-q", ...args], {
      env,
      timeoutMs: options.timeoutMs ?? 30_000,
    });
    if (r.code !== 0)
      throw new AdapterError("journal-failed", `journalctl failed (exit ${r.code}): ${tail(r.stderr, 3)}`, {
        retryable: true,
        detail: tail(r.stderr),
      });
    return r;
  };
  return {
    async tail(unit, lines) {
      const r = await run(["-u", unit, "-n", String(lines), "-o", "short-iso", "--all"]);
      const out = r.stdout.split("\n").filter((l) => l !== "" && !l.startsWith("-- "));
      // The real journalctl on a machine without journald prints nothing and succeeds: say why instead.
      if (out.length === 0 && bin === "journalctl" && !existsSync("/run/systemd/journal"))
        throw noSystemdError();
      return out;
    },
    async entries(query) {
      // --all: without it journalctl prints fields over 4096 bytes as null and unprintable ones as "[blob]".
      const args = [...(query.kernel ? ["-k"] : unitArgs(query.units)), "-o", "json", "--all"];
      if (query.sinceMs !== undefined) args.push(`--since=@${Math.floor(query.sinceMs / 1000)}`);
      if (query.priority !== undefined) args.push("-p", String(query.priority));
      if (query.lines !== undefined) args.push("-n", String(query.lines));
      const r = await run(args);
      const out: JournalEntry[] = [];
      for (const line of r.stdout.split("\n")) {
        const e = line === "" ? null : parseJournalJson(line);
        if (e) out.push(e);
      }
      return out;
    },
    follow: (opts) => followJournal({ ...opts, journalctl: bin, env }),
    async vacuum(maxBytes) {
      const r = await run([`--vacuum-size=${Math.max(1, Math.floor(maxBytes / 1024))}K`]);
      return tail(`${r.stderr}${r.stdout}`, 5);
    },
  };
}
