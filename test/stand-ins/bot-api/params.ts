/**
 * Reads a Bot API call's parameters the ways Telegram accepts them (test code): query string,
 * urlencoded form, JSON, and multipart/form-data with uploaded files (also by attach://name).
 */

/** An uploaded file. */
export interface Upload {
  readonly filename: string;
  readonly bytes: Uint8Array;
}

/** A parameter value: JSON as sent, or a string/upload from a form. */
export type ParamValue = unknown;

/** The call's parameters, or why the body could not be read. */
export type ReadParams = { params: Record<string, ParamValue> } | { error: string };

/** Reads the parameters of one call from its URL, content type and body. */
export function readParams(url: URL, contentType: string, body: Uint8Array): ReadParams {
  const params: Record<string, ParamValue> = Object.fromEntries(url.searchParams);
  if (body.length === 0) return { params };
  if (contentType.startsWith("application/json")) {
    try {
      const parsed: unknown = JSON.parse(new TextDecoder().decode(body));
      if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed))
        return { error: "JSON body is not an object" };
      return { params: { ...params, ...parsed } };
    } catch {
      return { error: "can't parse JSON body" };
    }
  }
  if (contentType.startsWith("application/x-www-form-urlencoded")) {
    return {
      params: { ...params, ...Object.fromEntries(new URLSearchParams(new TextDecoder().decode(body))) },
    };
  }
  const boundary = /boundary=("?)([^";]+)\1/.exec(contentType)?.[2];
  if (contentType.startsWith("multipart/form-data") && boundary) {
    const parts = parseMultipart(body, boundary);
    if ("error" in parts) return parts;
    const files = new Map<string, Upload>();
    for (const part of parts.parts) {
      if (part.filename !== undefined) files.set(part.name, { filename: part.filename, bytes: part.bytes });
      else params[part.name] = new TextDecoder().decode(part.bytes);
    }
    for (const [name, upload] of files) params[name] = upload;
    for (const [key, value] of Object.entries(params)) {
      if (typeof value === "string" && value.startsWith("attach://")) {
        const upload = files.get(value.slice("attach://".length));
        if (!upload) return { error: `file for "${key}" (${value}) not found in the request` };
        params[key] = upload;
        delete params[value.slice("attach://".length)];
      }
    }
    return { params };
  }
  return { error: `unsupported content type "${contentType}"` };
}

interface Part {
  readonly name: string;
  readonly filename?: string;
  readonly bytes: Uint8Array;
}

/** Splits a multipart body into parts; header names are case-insensitive, quotes optional. */
function parseMultipart(body: Uint8Array, boundary: string): { parts: Part[] } | { error: string } {
  const delimiter = new TextEncoder().encode(`--${boundary}`);
  const positions: number[] = [];
  for (let i = indexOf(body, delimiter, 0); i >= 0; i = indexOf(body, delimiter, i + delimiter.length))
    positions.push(i);
  if (positions.length < 2) return { error: "malformed multipart body" };
  const parts: Part[] = [];
  for (let p = 0; p + 1 < positions.length; p++) {
    let start = (positions[p] ?? 0) + delimiter.length;
    if (body[start] === 13 && body[start + 1] === 10) start += 2;
    let end = positions[p + 1] ?? 0;
    if (body[end - 2] === 13 && body[end - 1] === 10) end -= 2;
    const chunk = body.subarray(start, end);
    const split = indexOf(chunk, new Uint8Array([13, 10, 13, 10]), 0);
    if (split < 0) return { error: "malformed multipart part" };
    const headers = new TextDecoder().decode(chunk.subarray(0, split));
    const disposition = headers.split("\r\n").find((line) => /^content-disposition\s*:/i.test(line)) ?? "";
    const name = /;\s*name=("?)([^";]*)\1/i.exec(disposition)?.[2];
    const filename = /;\s*filename=("?)([^";]*)\1/i.exec(disposition)?.[2];
    if (!name) return { error: "multipart part without a name" };
    parts.push({ name, ...(filename !== undefined ? { filename } : {}), bytes: chunk.subarray(split + 4) });
  }
  return { parts };
}

function indexOf(haystack: Uint8Array, needle: Uint8Array, from: number): number {
  outer: for (let i = from; i <= haystack.length - needle.length; i++) {
    for (let j = 0; j < needle.length; j++) if (haystack[i + j] !== needle[j]) continue outer;
    return i;
  }
  return -1;
}
