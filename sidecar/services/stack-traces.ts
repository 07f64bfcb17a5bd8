/**
 * Folds stack traces into their headline, so `errors` and findings count a failure by what failed: a
 * Python traceback by its exception line (the last line), a Node stack by its `Error:` line. Frames,
 * source echoes, carets and property dumps are dropped; every other line passes unchanged.
 */
import type { JournalEntry } from "../adapters/journal-entry.ts";

const TRACEBACK = /^Traceback \(most recent call last\):/;
/** Python's lines between chained tracebacks: the exception that follows is the one that counts. */
const CHAINED = /^(?:During handling of the above exception|The above exception was the direct cause)/;
const FRAME = /^\s+at\s|^\s*\[cause\]:/;
const CARET = /^\s*\^+\s*$/;
/** A source position alone on a line (Node prints it above the echoed code). */
const POSITION = /^(?:file:\/\/)?(?:node:)?[\w./@-]+:\d+$/;
const NOISE = /^Node\.js v\d|^Require stack:|^- \/|^\s*$/;

interface Stream {
  /** Inside a Python traceback: skip indented lines until the exception line. */
  python: boolean;
  /** Inside a Node error's property dump (`Error: x {` … `}`). */
  props: boolean;
  /** Index in the output of this stream's last emitted line, and whether it was the line just before. */
  last: number;
  lastWasPrevious: boolean;
  /** The emitted exception line of a traceback that may still be chained to a later one. */
  exception: number;
  priority: number;
}

/** Entries with each stack trace folded into one entry holding its headline (at the worst priority seen). */
export function foldStacks(entries: readonly JournalEntry[]): JournalEntry[] {
  const out: (JournalEntry | null)[] = [];
  const streams = new Map<string, Stream>();
  for (const e of entries) {
    const key = `${e.unit ?? e.identifier}\0${e.pid ?? ""}`;
    let s = streams.get(key);
    if (!s) {
      s = { python: false, props: false, last: -1, lastWasPrevious: false, exception: -1, priority: 7 };
      streams.set(key, s);
    }
    const text = e.message;
    const emit = (entry: JournalEntry): void => {
      out.push(entry);
      (s as Stream).last = out.length - 1;
      (s as Stream).lastWasPrevious = true;
    };
    const skip = (): void => {
      (s as Stream).lastWasPrevious = false;
    };
    if (TRACEBACK.test(text)) {
      s.python = true;
      s.priority = Math.min(s.exception >= 0 ? s.priority : 7, e.priority);
      skip();
      continue;
    }
    if (CHAINED.test(text)) {
      // The exception just printed is the cause; the traceback that follows ends in the one that counts.
      if (s.exception >= 0) out[s.exception] = null;
      s.exception = -1;
      skip();
      continue;
    }
    if (s.python) {
      s.priority = Math.min(s.priority, e.priority);
      if (/^\s/.test(text) || text === "") {
        skip();
        continue;
      }
      s.python = false;
      emit({ ...e, priority: s.priority });
      s.exception = s.last;
      continue;
    }
    if (s.props) {
      if (/^\s*}\s*$/.test(text)) s.props = false;
      skip();
      continue;
    }
    if (CARET.test(text)) {
      // The line above the caret is the echoed source line, not an error of its own.
      if (s.lastWasPrevious && s.last >= 0) out[s.last] = null;
      skip();
      continue;
    }
    if (FRAME.test(text) || POSITION.test(text) || NOISE.test(text)) {
      skip();
      continue;
    }
    s.exception = -1;
    if (/^(?:\w+(?:\.\w+)*)?(?:Error|Exception)\b.*\{\s*$/.test(text)) {
      s.props = true;
      emit({ ...e, message: text.replace(/\s*\{\s*$/, "") });
      continue;
    }
    emit(e);
  }
  return out.filter((e): e is JournalEntry => e !== null);
}
