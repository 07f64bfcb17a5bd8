/**
 * The JSON object a request sends, read once: no body is `{}`, JSON that is not an object is `{}`,
 * and a body that is not JSON throws the SyntaxError the app answers with 400 in the caller's language.
 */
import type { Context } from "hono";

/** Reads the request body as a JSON object (see the module comment for what is not one). */
export async function jsonBody(c: Context): Promise<Record<string, unknown>> {
  // Hono keeps the text, so reading it again (here or in callerLang) costs nothing and never fails.
  const text = await c.req.text();
  if (text.trim() === "") return {};
  const parsed: unknown = JSON.parse(text);
  return typeof parsed === "object" && parsed !== null && !Array.isArray(parsed)
    ? (parsed as Record<string, unknown>)
    : {};
}
