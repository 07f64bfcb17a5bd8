/** Identifiers for commands, events and confirmations. */

/** A random 22-character URL-safe id, valid in frames (`[A-Za-z0-9_-]`). */
export function newId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  let text = "";
  for (const b of bytes) text += String.fromCharCode(b);
  return btoa(text).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
}
