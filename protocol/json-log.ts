/**
 * The one logger both hosts use: each call becomes one JSON line (for `wrangler tail`, Workers Logs
 * and the Node host's stderr), with secrets scrubbed and every field clipped. Runtime-free: the host
 * says where a line goes.
 */
import { redact } from "./redact.ts";

/** Where a process writes what it notices: one call, one line. */
export type LogFn = (
  level: "info" | "warn" | "error",
  message: string,
  fields?: Record<string, unknown>,
) => void;

/** A line's level, as LogFn takes it. */
export type LogLevel = Parameters<LogFn>[0];

/** Where a finished line goes (stderr, console.log, a test's array). */
export type LineSink = (level: LogLevel, line: string) => void;

/** The longest line written; a longer one is cut at a field boundary and marked `clipped`. */
export const MAX_LINE_CHARS = 4000;

/** Creates a logger writing one redacted, clipped JSON object a line to `write`. */
export function createJsonLog(options: {
  /** Which program wrote the line: `edge`, `mirror`, `local`, `sidecar`. */
  from: string;
  write: LineSink;
  secrets?: () => readonly string[];
  /** Fields of the current request (its id), when there is one. */
  context?: () => Record<string, unknown> | undefined;
  /** Drops info lines (VOXOPS_QUIET). */
  quiet?: boolean;
  now?: () => number;
}): LogFn {
  const secrets = options.secrets ?? (() => []);
  const now = options.now ?? Date.now;
  return (level, message, fields = {}) => {
    if (options.quiet && level === "info") return;
    const list = secrets();
    const line: Record<string, unknown> = {
      t: new Date(now()).toISOString(),
      level,
      from: options.from,
      msg: redact(message, list),
      ...(redact({ ...options.context?.(), ...fields }, list) as object),
    };
    options.write(level, clip(line));
  };
}

/** Serialises a line, dropping the largest fields until it fits in MAX_LINE_CHARS. */
function clip(line: Record<string, unknown>): string {
  let text = JSON.stringify(line);
  if (text.length <= MAX_LINE_CHARS) return text;
  const fixed = new Set(["t", "level", "from", "msg", "kind", "requestId", "outcome"]);
  const sized = Object.entries(line)
    .filter(([k]) => !fixed.has(k))
    .map(([k, v]) => [k, JSON.stringify(v)?.length ?? 0] as const)
    .sort((a, b) => b[1] - a[1]);
  const out: Record<string, unknown> = { ...line, clipped: true };
  for (const [key] of sized) {
    out[key] = "[clipped]";
    text = JSON.stringify(out);
    if (text.length <= MAX_LINE_CHARS) return text;
  }
  return JSON.stringify({ t: line.t, level: line.level, from: line.from, msg: "[clipped]", clipped: true });
}
