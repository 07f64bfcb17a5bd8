/**
 * Text → tokens: lowercase, "ё" → "е", punctuation and shell characters become separators, words
 * joined by "-", "_" or "." are split into parts that remember they were glued together.
 */

/** One word of the input after normalisation. */
export interface Token {
  /** The normalised word: lowercase letters and digits only. */
  readonly text: string;
  /** Index of the whitespace-separated chunk this part came from. */
  readonly chunk: number;
  /** True when this part was glued to the previous one by "-", "_" or "." (as in "grok-voice"). */
  readonly glued: boolean;
  /** True when the chunk started with "/" (a path such as "/health"). */
  readonly path: boolean;
  /** True when the chunk had "_" inside it (a parameter name such as "max_connections"). */
  readonly param: boolean;
}

/** The normalised input. */
export interface NormalizedText {
  readonly tokens: readonly Token[];
  /** True when the raw text chains or substitutes shell commands (";", "&&", "|", "$(", "`", ">"). */
  readonly shell: boolean;
}

const shellPattern = /[;|`<>]|&&|\$\(|\$\{/;
const letter = /[a-z0-9а-я]/;

/** Normalises spoken or typed text into tokens. */
export function normalize(raw: string): NormalizedText {
  const shell = shellPattern.test(raw);
  const lowered = raw
    .toLowerCase()
    .replaceAll("ё", "е")
    .replace(/['’ʼ]/g, "")
    .replace(/[^a-z0-9а-я_\-./\s]/g, " ");
  const tokens: Token[] = [];
  let chunkIndex = 0;
  for (const chunk of lowered.split(/\s+/)) {
    if (chunk.length === 0 || !letter.test(chunk)) continue;
    const path = chunk.startsWith("/");
    const param = /[a-zа-я0-9]_[a-zа-я0-9]/.test(chunk);
    let glued = false;
    for (const part of chunk.split(/[-_./]+/)) {
      if (part.length === 0) continue;
      splitDigitSuffix(part).forEach((piece, i) => {
        tokens.push({ text: piece, chunk: chunkIndex, glued: i === 0 && glued, path, param });
      });
      glued = true;
    }
    chunkIndex++;
  }
  return { tokens, shell };
}

/** Keeps "vm1" whole but splits "50строк"-style run-ons of digits and Cyrillic. */
function splitDigitSuffix(part: string): string[] {
  const m = /^(\d+)([а-я]{3,})$/.exec(part);
  return m?.[1] !== undefined && m[2] !== undefined ? [m[1], m[2]] : [part];
}

/** True when a word is written in Cyrillic. */
export function isCyrillic(word: string): boolean {
  return /[а-я]/.test(word);
}

/** True when a word is written in Latin letters. */
export function isLatin(word: string): boolean {
  return /[a-z]/.test(word);
}
