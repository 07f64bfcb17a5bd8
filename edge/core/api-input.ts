/**
 * Every `/agent/*` request's path parameters, query and JSON body, parsed once by the schemas of its
 * entry in the route table (the same schemas the OpenAPI document shows). A field that does not fit
 * is answered 400 with a sentence naming it in the caller's language (and audited); a handler reads
 * the typed values with `routeQuery`, `routeBody` and `routeParams`.
 */

import type { Context, MiddlewareHandler } from "hono";
import type * as z from "zod";
import { withRelativePaths } from "../../protocol/names.ts";
import { fieldRefusal } from "./api-field-refusal.ts";
import { callerLang } from "./api-language.ts";
import type { AppEnv } from "./app-env.ts";
import type { Audit } from "./audit.ts";
import { jsonBody } from "./json-body.ts";

/** The parts of a route entry this module reads (`RouteSpec` in `api-spec.ts`). */
export interface RouteInputSpec {
  readonly method: "get" | "post" | "delete";
  readonly path: string;
  readonly params?: z.ZodObject;
  readonly query?: z.ZodObject;
  readonly body?: z.ZodObject;
  /** The action the route runs, named in the audit record of a refused request. */
  readonly action?: string;
}

interface Parsed {
  readonly route: RouteInputSpec;
  readonly params: unknown;
  readonly query: unknown;
  readonly body: unknown;
}

/** The text fields of a refused request, clipped, without file contents or patches (as the desk audits arguments). */
function clippedText(given: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(given)
      .filter(([k, v]) => typeof v === "string" && k !== "content" && k !== "patch")
      .slice(0, 8)
      .map(([k, v]) => [k.slice(0, 40), (v as string).slice(0, 120)]),
  );
}

/** The parsed input of each request being served, keyed by the request itself. */
const parsedInputs = new WeakMap<Request, Parsed>();

/** A compiled route: its pattern over the path, with `:name` parts as named groups. */
interface Matcher {
  readonly route: RouteInputSpec;
  readonly method: string;
  readonly pattern: RegExp;
}

function matcher(route: RouteInputSpec): Matcher {
  const source = route.path
    .split("/")
    .map((part) =>
      part.startsWith(":") ? `(?<${part.slice(1)}>[^/]+)` : part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"),
    )
    .join("/");
  return { route, method: route.method.toUpperCase(), pattern: new RegExp(`^${source}/?$`) };
}

/** The schema inside optional, nullable and default wrappers. */
function innerType(schema: z.ZodType): string {
  let def = schema.def as { type: string; innerType?: z.ZodType };
  while (def.innerType && ["optional", "nullable", "default", "prefault", "catch"].includes(def.type))
    def = def.innerType.def as typeof def;
  return def.type;
}

/** Query values are text: a field the schema wants as a number gets the number the text spells. */
function typedQuery(schema: z.ZodObject, raw: Record<string, string>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(raw).map(([name, value]) => {
      const field = schema.shape[name] as z.ZodType | undefined;
      const numeric = field && innerType(field) === "number" && /^-?\d+(\.\d+)?$/.test(value.trim());
      return [name, numeric ? Number(value) : value];
    }),
  );
}

function decodedParams(groups: Record<string, string> | undefined): Record<string, string> {
  return Object.fromEntries(
    Object.entries(groups ?? {}).map(([name, value]) => {
      try {
        return [name, decodeURIComponent(value)];
      } catch {
        return [name, value];
      }
    }),
  );
}

/**
 * The middleware that parses each table route's input before its handler runs (mount it after the
 * token check, before the routes). Routes outside the table pass through untouched.
 */
export function routeInputs(routes: readonly RouteInputSpec[], audit: Audit): MiddlewareHandler<AppEnv> {
  const matchers = routes.filter((r) => r.params || r.query || r.body).map(matcher);
  return async (c, next) => {
    const path = new URL(c.req.url).pathname;
    const found = matchers
      .filter((m) => m.method === c.req.method)
      .map((m) => ({ route: m.route, match: m.pattern.exec(path) }))
      .find((m) => m.match !== null);
    if (!found?.match) return next();
    const { route, match } = found;
    const issues: z.core.$ZodIssue[] = [];
    const parse = (schema: z.ZodObject | undefined, value: unknown): unknown => {
      if (!schema) return undefined;
      const parsed = schema.safeParse(value, { reportInput: true });
      if (parsed.success) return parsed.data;
      issues.push(...parsed.error.issues);
      return undefined;
    };
    const rawParams = decodedParams(match.groups);
    const rawQuery = c.req.query();
    const rawBody = route.body && c.req.method !== "GET" ? await jsonBody(c) : undefined;
    const params = parse(route.params, rawParams);
    const query = route.query ? parse(route.query, typedQuery(route.query, rawQuery)) : undefined;
    // An action route takes a config or restore path given absolute, as the desk does (`withRelativePaths`).
    const body = route.body
      ? parse(route.body, route.action ? withRelativePaths(rawBody ?? {}) : (rawBody ?? {}))
      : undefined;
    if (issues.length > 0) {
      const given = { ...rawParams, ...rawQuery, ...(rawBody ?? {}) };
      // Recorded as the desk records arguments it refuses: the action, the text fields only, clipped.
      audit.append({
        actor: c.get("actor"),
        action: route.action ?? "api-input",
        target: typeof given["vm"] === "string" ? given["vm"].slice(0, 64) : `${c.req.method} ${route.path}`,
        args: clippedText(given),
        outcome: "refused: invalid",
        detail: `${fieldRefusal(issues, "en")} (api ${c.req.method} ${path})`.slice(0, 500),
      });
      const lang = await callerLang(c);
      return c.json(
        {
          status: "invalid",
          error: "bad-request",
          message: withExample(fieldRefusal(issues, lang), route.body, lang),
          fields: [...new Set(issues.map((i) => i.path.map(String).join(".")))],
        },
        400,
      );
    }
    parsedInputs.set(c.req.raw, { route, params, query, body });
    return next();
  };
}

/** A refusal followed by the body's example from the route table, when it has one. */
function withExample(message: string, body: z.ZodObject | undefined, lang: "ru" | "en"): string {
  const example = (body?.meta()?.["examples"] as unknown[] | undefined)?.[0];
  if (example === undefined) return message;
  return `${message} ${lang === "ru" ? "Например" : "For example"}: ${JSON.stringify(example).replaceAll('":', '": ').replaceAll(',"', ', "')}.`;
}

function parsedFor(c: Context, part: "params" | "query" | "body", schema: z.ZodObject): unknown {
  const parsed = parsedInputs.get(c.req.raw);
  // A handler reading with another schema than its table entry's is a programming mistake, not the caller's.
  if (!parsed || parsed.route[part] !== schema)
    throw new Error(`${c.req.method} ${c.req.path}: no ${part} parsed by this schema`);
  return parsed[part];
}

/** The request's JSON body as the route table's schema parsed it. */
export function routeBody<S extends z.ZodObject>(c: Context, schema: S): z.output<S> {
  return parsedFor(c, "body", schema) as z.output<S>;
}

/** The request's query as the route table's schema parsed it. */
export function routeQuery<S extends z.ZodObject>(c: Context, schema: S): z.output<S> {
  return parsedFor(c, "query", schema) as z.output<S>;
}

/** The request's path parameters as the route table's schema parsed them. */
export function routeParams<S extends z.ZodObject>(c: Context, schema: S): z.output<S> {
  return parsedFor(c, "params", schema) as z.output<S>;
}
