/**
 * The request-body limit both hosts enforce on every route before anything parses a body: a
 * declared Content-Length over the limit is refused at once, and a chunked body is counted as it
 * streams in and refused as soon as it passes the limit (Hono's `bodyLimit`), never buffered whole.
 */
import type { Context, MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import { acceptLanguage, refusalSentence } from "./core/api-language.ts";

/** The largest request body either host reads: 1 MiB (a config file over the API is at most 256 KB). */
export const MAX_REQUEST_BODY_BYTES = 1_048_576;

/** The 413 answer, as a sentence that says what to do, in the language of the request's Accept-Language. */
export function payloadTooLarge(maxBytes = MAX_REQUEST_BODY_BYTES, request?: Request): Response {
  const lang = acceptLanguage(request?.headers.get("accept-language") ?? undefined);
  return Response.json(
    {
      error: "payload-too-large",
      message: refusalSentence("too-large", lang, { kb: Math.round(maxBytes / 1024) }),
    },
    { status: 413, headers: { connection: "close" } },
  );
}

/**
 * True when a request declares a body longer than the limit (checked without reading it), or sends a
 * streamed body with a method that takes none (GET, HEAD: the host hands the app no body to count).
 */
export function declaresTooLargeBody(request: Request, maxBytes = MAX_REQUEST_BODY_BYTES): boolean {
  if ((request.method === "GET" || request.method === "HEAD") && request.headers.has("transfer-encoding"))
    return true;
  const declared = request.headers.get("content-length");
  if (declared === null) return false;
  const length = Number(declared);
  return !Number.isSafeInteger(length) || length < 0 || length > maxBytes;
}

/** The middleware that limits every route's body (mount it before any other). */
export function requestBodyLimit(maxBytes = MAX_REQUEST_BODY_BYTES): MiddlewareHandler {
  const limit = bodyLimit({ maxSize: maxBytes, onError: (c) => payloadTooLarge(maxBytes, c.req.raw) });
  return async (c: Context, next) => {
    if (declaresTooLargeBody(c.req.raw, maxBytes)) return payloadTooLarge(maxBytes, c.req.raw);
    return limit(c, next);
  };
}
