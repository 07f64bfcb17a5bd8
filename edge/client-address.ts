/**
 * Who sent a request, for counting refusals per source: on the edge the address Cloudflare saw
 * (`CF-Connecting-IP`, set by Cloudflare and not by the caller), on Node the socket's peer address
 * (headers there are the caller's own words and are ignored).
 */
import type { Context } from "hono";

/** The caller's address, or "unknown address". */
export function clientAddress(c: Context): string {
  const incoming = (c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined)?.incoming;
  if (incoming) return incoming.socket?.remoteAddress ?? "unknown address";
  return c.req.header("cf-connecting-ip") ?? "unknown address";
}
