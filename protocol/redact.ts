/** Secret scrubbing for every record that leaves a process: audit rows, log lines, events. */

/** Field names whose values are secrets (or too big and private to log): their values are never shown. */
const secretKey = /token|secret|password|passwd|credential|private|key$|^key|content|patch/i;

/** Replaces secret-looking fields and any known secret value with a marker. */
export function redact(value: unknown, secrets: readonly string[] = [], depth = 0): unknown {
  if (typeof value === "string") {
    let text = value;
    for (const s of secrets) if (s.length >= 6 && text.includes(s)) text = text.replaceAll(s, "[redacted]");
    return text.length > 500 ? `${text.slice(0, 500)}…` : text;
  }
  if (depth > 4 || value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) return value.slice(0, 50).map((v) => redact(v, secrets, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    out[k] =
      secretKey.test(k) && v !== undefined
        ? `[redacted ${typeof v === "string" ? v.length : "?"} chars]`
        : redact(v, secrets, depth + 1);
  }
  return out;
}
