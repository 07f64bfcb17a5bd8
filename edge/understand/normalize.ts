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
  /** True when the chunk names a file or directory ("src/server.js", "package.json"): it names nothing else. */
  readonly file: boolean;
}

/** The normalised input. */
export interface NormalizedText {
  readonly tokens: readonly Token[];
  /** True when the raw text chains or substitutes shell commands (";", "&&", "|", "$(", "`", ">"). */
  readonly shell: boolean;
  /** The whitespace-separated chunks as written (case kept, edge punctuation trimmed), by chunk index. */
  readonly chunks: readonly string[];
  /** Texts said in quotes ("найди «retry»", 'search for "connection refused"'), case kept. */
  readonly quoted: readonly string[];
}

const shellPattern = /[;|`<>]|&&|\$\(|\$\{/;
const letter = /[a-z0-9а-я]/;

/** Normalises spoken or typed text into tokens. */
export function normalize(raw: string): NormalizedText {
  const shell = shellPattern.test(raw);
  // The same text with its case kept: file names and search texts are case-sensitive.
  const cased = raw
    .replaceAll("ё", "е")
    .replaceAll("Ё", "Е")
    .replace(/['’ʼ]/g, "")
    .replace(/[^a-zA-Z0-9а-яА-Я_\-./\s]/g, " ");
  const tokens: Token[] = [];
  const chunks: string[] = [];
  for (const casedChunk of cased.split(/\s+/)) {
    const chunk = casedChunk.toLowerCase();
    if (chunk.length === 0 || !letter.test(chunk)) continue;
    const chunkIndex = chunks.length;
    chunks.push(casedChunk.replace(/[.-]+$/, ""));
    const path = chunk.startsWith("/");
    const param = /[a-zа-я0-9]_[a-zа-я0-9]/.test(chunk);
    const file = isFileName(chunk.replace(/[.-]+$/, ""));
    let glued = false;
    for (const part of chunk.split(/[-_./]+/)) {
      if (part.length === 0) continue;
      splitDigitSuffix(part).forEach((piece, i) => {
        tokens.push({
          text: piece,
          chunk: chunkIndex,
          glued: i === 0 && glued,
          path: path || file,
          param,
          file,
        });
      });
      glued = true;
    }
  }
  return { tokens, shell, chunks, quoted: quotedTexts(raw) };
}

/** Endings of the files a service's tree holds (source, configuration, documentation, units). */
const fileEnding =
  /\.(js|mjs|cjs|jsx|ts|mts|tsx|py|rb|go|rs|java|kt|php|c|h|cpp|sh|bash|json|ya?ml|toml|ini|conf|cfg|cnf|env|md|txt|rst|html|css|scss|sql|xml|csv|log|lock|service|timer|properties|gradle)$/;

/** True when a written chunk names a file or a directory inside a tree ("src/app.py", "README.md", "src/"). */
function isFileName(chunk: string): boolean {
  if (!/^[a-z0-9_.\-/]+$/.test(chunk) || !/[a-z]/.test(chunk)) return false;
  if (/^(dockerfile|makefile|procfile)$/.test(chunk)) return true;
  if (fileEnding.test(chunk) && /[a-z0-9_]\./.test(chunk)) return true;
  return /[a-z0-9_]\/([a-z0-9_.]|$)/.test(chunk) && !chunk.startsWith("/");
}

/** Texts in double quotes, guillemets or single quotes standing apart from words ("don't" is no quote). */
function quotedTexts(raw: string): string[] {
  const found: string[] = [];
  for (const m of raw.matchAll(
    /["«“„]([^"«»“”„]{1,200})["»”“]|(?<![\p{L}\d])'([^']{1,200})'(?![\p{L}\d])/gu,
  )) {
    const text = (m[1] ?? m[2] ?? "").trim();
    if (text.length > 0) found.push(text);
  }
  return found;
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
