/** The journal lines an answer carries: the newest that fit its size limits. */

const MAX_LINE_CHARS = 2000;
const MAX_TOTAL_CHARS = 400_000;

/** Keeps the newest lines that fit the answer's size limits. */
export function capLines(lines: readonly string[]): { lines: string[]; truncated: boolean } {
  const out: string[] = [];
  let total = 0;
  for (let i = lines.length - 1; i >= 0; i--) {
    const line = (lines[i] ?? "").slice(0, MAX_LINE_CHARS);
    if (total + line.length > MAX_TOTAL_CHARS) return { lines: out.reverse(), truncated: true };
    total += line.length;
    out.push(line);
  }
  return { lines: out.reverse(), truncated: false };
}
