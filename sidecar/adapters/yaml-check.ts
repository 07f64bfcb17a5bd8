/**
 * A small, dependency-free YAML sanity check for config edits: it catches the mistakes a hand or an LLM
 * makes (tabs, broken indentation, "key: value" nested under a scalar, unclosed quotes or brackets,
 * duplicate keys). It is not a parser: it may accept some invalid YAML, and it rejects nothing valid
 * that configs commonly use (block scalars, flow collections, anchors, multi-document files).
 */

/** The first problem found, with its 1-based line, or null when the text looks like valid YAML. */
export function checkYaml(text: string): { line: number; message: string } | null {
  const lines = text.split("\n");
  // Each open block: the indentation of its keys and the keys seen there.
  let stack: { indent: number; keys: Set<string> }[] = [];
  let blockScalarIndent: number | null = null;
  let scalarParentIndent = -1;
  let flowDepth = 0;
  let lastIndent = 0;
  let lastWasScalarValue = false;
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i] ?? "";
    const n = i + 1;
    if (raw.trim() === "" || raw.trimStart().startsWith("#")) continue;
    const indent = raw.length - raw.trimStart().length;
    if (/^\s*\t/.test(raw) || /^ *\t/.test(raw.slice(0, indent + 1)))
      return { line: n, message: "tab in indentation" };
    if (blockScalarIndent !== null) {
      if (indent > scalarParentIndent) continue;
      blockScalarIndent = null;
    }
    const body = stripComment(raw.trim());
    if (body === "---" || body === "..." || body.startsWith("--- ")) {
      stack = [];
      lastWasScalarValue = false;
      continue;
    }
    const quoteError = unbalancedQuote(body);
    if (quoteError) return { line: n, message: quoteError };
    if (flowDepth > 0) {
      flowDepth += depth(body);
      if (flowDepth < 0) return { line: n, message: "closing bracket without an opening one" };
      continue;
    }
    const item = body.startsWith("- ") || body === "-";
    const keyMatch = /^(?:- +)?("(?:[^"\\]|\\.)*"|'[^']*'|[^\s"'#{[][^:#]*?)\s*:(?:\s+(.*)|$)/.exec(body);
    if (lastWasScalarValue && indent > lastIndent && keyMatch)
      return { line: n, message: "mapping values are not allowed here (a key nested under a plain value)" };
    let keyIndent = indent;
    if (keyMatch) {
      keyIndent = indent + (item ? body.indexOf(keyMatch[1] ?? "") : 0);
      while (stack.length > 0 && (stack.at(-1)?.indent ?? 0) > keyIndent) stack.pop();
      if (item || stack.at(-1)?.indent !== keyIndent) stack.push({ indent: keyIndent, keys: new Set() });
      const scope = stack.at(-1);
      const key = (keyMatch[1] ?? "").replace(/^["']|["']$/g, "");
      if (key !== "<<" && scope?.keys.has(key)) return { line: n, message: `duplicate key "${key}"` };
      scope?.keys.add(key);
      const value = (keyMatch[2] ?? "").trim();
      if (/^[|>][0-9+-]*$/.test(value)) {
        blockScalarIndent = indent;
        scalarParentIndent = keyIndent;
      }
      flowDepth = depth(value);
      if (flowDepth < 0) return { line: n, message: "closing bracket without an opening one" };
      lastWasScalarValue = value !== "" && blockScalarIndent === null && !/^[&*!]\S*$/.test(value);
    } else {
      flowDepth = depth(body);
      if (flowDepth < 0) return { line: n, message: "closing bracket without an opening one" };
      lastWasScalarValue = !item;
    }
    lastIndent = keyIndent;
  }
  if (flowDepth > 0) return { line: lines.length, message: "a [ or { is never closed" };
  return null;
}

function stripComment(s: string): string {
  let quote: string | null = null;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (quote) {
      if (c === quote) quote = null;
    } else if (c === '"' || c === "'") {
      if (i === 0 || /[\s:[{,-]/.test(s[i - 1] ?? "")) quote = c;
    } else if (c === "#" && (i === 0 || /\s/.test(s[i - 1] ?? ""))) return s.slice(0, i).trimEnd();
  }
  return s;
}

function unbalancedQuote(s: string): string | null {
  let quote: string | null = null;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (quote === '"' && c === "\\") i++;
    else if (quote && c === quote) {
      if (quote === "'" && s[i + 1] === "'") i++;
      else quote = null;
    } else if (!quote && (c === '"' || c === "'") && (i === 0 || /[\s:[{,-]/.test(s[i - 1] ?? ""))) quote = c;
  }
  return quote ? `unclosed ${quote === '"' ? "double" : "single"} quote` : null;
}

function depth(s: string): number {
  let d = 0;
  let quote: string | null = null;
  for (const c of s) {
    if (quote) {
      if (c === quote) quote = null;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === "[" || c === "{") d++;
    else if (c === "]" || c === "}") d--;
  }
  return d;
}
