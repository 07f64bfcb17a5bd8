/** Cleans text from a sidecar before an operator or the audit sees it: no escape sequences, one line, clipped. */

/** Skips one escape sequence starting at `i` (ESC); returns the index after it. */
function skipEscape(text: string, i: number): number {
  const next = text[i + 1];
  if (next === "[") {
    // CSI: parameters and intermediates, then one final byte @..~
    let j = i + 2;
    while (j < text.length && !/[@-~]/.test(text[j] ?? "")) j++;
    return j + 1;
  }
  if (next === "]") {
    // OSC: up to BEL or ESC \
    let j = i + 2;
    while (
      j < text.length &&
      text.charCodeAt(j) !== 7 &&
      !(text.charCodeAt(j) === 27 && text[j + 1] === "\\")
    )
      j++;
    return text.charCodeAt(j) === 7 ? j + 1 : j + 2;
  }
  return i + 2;
}

/** The text on one line without terminal escapes or control characters, at most `max` characters. */
export function shownText(text: string, max: number): string {
  let out = "";
  for (let i = 0; i < text.length && out.length <= max * 2; ) {
    const code = text.charCodeAt(i);
    if (code === 27) {
      i = skipEscape(text, i);
      continue;
    }
    out += code < 32 || code === 127 || (code > 127 && code < 160) ? " " : text[i];
    i++;
  }
  const one = out.replace(/\s+/g, " ").trim();
  return one.length <= max ? one : `${one.slice(0, max - 1)}…`;
}
