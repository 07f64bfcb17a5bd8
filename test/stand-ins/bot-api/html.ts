/**
 * The Bot API's HTML parse mode, as the stand-in checks it (test code): only Telegram's tags, balanced,
 * and every <, > and & outside a tag written as an entity. Returns the plain text or the Bot API's error.
 */

const tags = new Set([
  "b",
  "strong",
  "i",
  "em",
  "u",
  "ins",
  "s",
  "strike",
  "del",
  "span",
  "tg-spoiler",
  "a",
  "tg-emoji",
  "code",
  "pre",
  "blockquote",
]);

const named: Record<string, string> = { lt: "<", gt: ">", amp: "&", quot: '"' };

/** Parses `text` as Telegram HTML: `{ plain }` or `{ error }` worded like the Bot API's. */
export function parseTelegramHtml(text: string): { plain: string } | { error: string } {
  const stack: string[] = [];
  let plain = "";
  let i = 0;
  const offset = (at: number) => new TextEncoder().encode(text.slice(0, at)).length;
  while (i < text.length) {
    const ch = text[i];
    if (ch === "<") {
      const end = text.indexOf(">", i);
      if (end < 0) return { error: `can't parse entities: Unclosed start tag at byte offset ${offset(i)}` };
      const inner = text.slice(i + 1, end);
      const match = /^(\/?)([a-z-]+)(\s[^<>]*)?$/.exec(inner);
      if (!match)
        return {
          error: `can't parse entities: Unsupported start tag "${inner}" at byte offset ${offset(i)}`,
        };
      const [, slash, name = ""] = match;
      if (!tags.has(name)) {
        return { error: `can't parse entities: Unsupported start tag "${name}" at byte offset ${offset(i)}` };
      }
      if (slash) {
        if (stack.pop() !== name) {
          return {
            error: `can't parse entities: Unmatched end tag at byte offset ${offset(i)}, expected "</${stack.at(-1) ?? ""}>"`,
          };
        }
      } else {
        stack.push(name);
      }
      i = end + 1;
    } else if (ch === ">") {
      return { error: `can't parse entities: Character '>' is reserved at byte offset ${offset(i)}` };
    } else if (ch === "&") {
      const match = /^&(?:([a-z]+)|#(\d+)|#x([0-9a-f]+));/i.exec(text.slice(i, i + 12));
      const decoded = match?.[1]
        ? named[match[1]]
        : match?.[2]
          ? String.fromCodePoint(Number(match[2]))
          : match?.[3]
            ? String.fromCodePoint(Number.parseInt(match[3], 16))
            : undefined;
      if (!match || decoded === undefined) {
        return { error: `can't parse entities: Unsupported HTML entity at byte offset ${offset(i)}` };
      }
      plain += decoded;
      i += match[0].length;
    } else {
      plain += ch;
      i++;
    }
  }
  if (stack.length > 0) {
    return { error: `can't parse entities: Can't find end tag corresponding to start tag "${stack.at(-1)}"` };
  }
  return { plain };
}
