/** Cleaning text that came from someone not yet authenticated before it is stored or shown. */

/** Control and format characters (NUL, escapes, bidirectional overrides) and lone surrogates. */
const unsafe = /[\p{Cc}\p{Cf}\p{Co}\p{Cs}\u2028\u2029]/gu;

/** Replaces control characters with "?" and clips to `max` characters (with "…" when clipped). */
export function cleanUntrusted(value: unknown, max = 64): string {
  const text = String(value ?? "").replace(unsafe, "?");
  const chars = [...text];
  return chars.length > max ? `${chars.slice(0, max).join("")}…` : text;
}
