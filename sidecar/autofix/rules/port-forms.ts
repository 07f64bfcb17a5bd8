/**
 * Reads the port out of a bind failure in the forms servers print it: Python's ('host', port) tuple
 * (uvicorn, gunicorn, asyncio), host:port / :::port / [::]:port / *:port (Node, nginx, Go, Redis,
 * Java's host/addr:port), and "port N" (Spring Boot, werkzeug, puma, PostgreSQL).
 */

/** ('0.0.0.0', 8000) and ("::", 8000, 0, 0). */
const TUPLE = /\(\s*['"][^'"]*['"]\s*,\s*(\d{1,5})\b/;
/** "Port 8080 was already in use", "port 3000", "port: 5000", "port=80". */
const PORT_WORD = /\bport\s*[:=]?\s*(\d{1,5})\b/i;
/**
 * host:port where the host is an IPv4 address (with Java's name/addr form), a bracketed or bare IPv6
 * address, *, a host name, or nothing after a space (Go's "listen tcp :8080"). A clock time (12:00:00)
 * or a source position (server.js:10:5) is not an address: the character before must not be a digit,
 * and the port must not be followed by another ":digits".
 */
const HOST_PORT =
  /(?:^|[\s'"(=/@])(?:\d{1,3}(?:\.\d{1,3}){3}|\[[0-9A-Fa-f:.%\w]*\]|[0-9A-Fa-f]*::[0-9A-Fa-f:]*|\*|localhost|[A-Za-z][\w-]*(?:\.[\w-]+)+)?:(\d{1,5})(?!\d|[:.]\d)/g;

const valid = (n: string | undefined): string | undefined =>
  n !== undefined && Number(n) >= 1 && Number(n) <= 65535 ? String(Number(n)) : undefined;

/** The port a bind-failure line names, as digits; undefined when it names none. */
export function readPort(line: string): string | undefined {
  const tuple = valid(TUPLE.exec(line)?.[1]);
  if (tuple) return tuple;
  const word = valid(PORT_WORD.exec(line)?.[1]);
  if (word) return word;
  let last: string | undefined;
  for (const m of line.matchAll(HOST_PORT)) last = valid(m[1]) ?? last;
  return last;
}
