/** Exact search/replace edits of a text: each `find` must occur exactly once, so an edit can never land in the wrong place. */

/** One exact edit. */
export interface Edit {
  readonly find: string;
  readonly replace: string;
}

export type EditResult = { ok: true; text: string } | { ok: false; reason: string };

/** Applies the edits in order; refuses when a `find` is missing or ambiguous. */
export function applyEdits(text: string, edits: readonly Edit[]): EditResult {
  let out = text;
  for (const [i, e] of edits.entries()) {
    const at = out.indexOf(e.find);
    if (at < 0) return { ok: false, reason: `edit ${i + 1}: the text to find does not occur in the file` };
    if (out.indexOf(e.find, at + 1) >= 0)
      return {
        ok: false,
        reason: `edit ${i + 1}: the text to find occurs more than once; include more context`,
      };
    out = out.slice(0, at) + e.replace + out.slice(at + e.find.length);
  }
  return { ok: true, text: out };
}
