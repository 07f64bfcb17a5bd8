/**
 * The OpenAPI 3.1 document of the HTTPS app, generated from the route table (`api-spec.ts`) with
 * zod's own `z.toJSONSchema` (JSON Schema 2020-12, which OpenAPI 3.1 uses), served at /agent/openapi.json.
 */
import * as z from "zod";
import { apiRoutes, type RouteSpec } from "./api-spec.ts";
import { VOXOPS_VERSION } from "./app.ts";
import { refusalSchema } from "./core/api-schemas.ts";

type Json = Record<string, unknown>;

/** A request or response schema as JSON Schema, without the `$schema` key OpenAPI does not want inside. */
function jsonSchema(schema: z.ZodType, io: "input" | "output"): Json {
  const { $schema: _, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: "any" }) as Json;
  return rest;
}

/** The OpenAPI path of a Hono path: `:id` becomes `{id}`. */
export function openApiPath(honoPath: string): string {
  return honoPath.replace(/:(\w+)/g, "{$1}");
}

/** The answers every token-checked route may give besides its own. */
const common = {
  400: "the body is not valid JSON",
  401: "no API token, or one that is not valid",
  413: "the body is larger than the controller accepts",
  500: "the controller failed; the log has the details under the request id",
} as const;

function parameters(route: RouteSpec): Json[] {
  const list = (where: "path" | "query", schema: z.ZodObject | undefined): Json[] =>
    Object.entries(schema?.shape ?? {}).map(([name, field]) => ({
      name,
      in: where,
      required: where === "path" || !(field as z.ZodType).safeParse(undefined).success,
      schema: jsonSchema(field as z.ZodType, "input"),
    }));
  return [...list("path", route.params), ...list("query", route.query)];
}

function operation(route: RouteSpec): Json {
  const responses: Json = {};
  if (route.role !== "none")
    for (const [status, description] of Object.entries(common))
      responses[status] = {
        description,
        content: { "application/json": { schema: jsonSchema(refusalSchema, "output") } },
      };
  for (const [status, [description, schema, media = ["application/json"]]] of Object.entries(
    route.responses,
  )) {
    const body = { schema: jsonSchema(schema, "output") };
    responses[status] = { description, content: Object.fromEntries(media.map((m) => [m, body])) };
  }
  const params = parameters(route);
  return {
    summary: route.summary,
    description:
      (route.role === "none" ? "No API token." : `Needs the ${route.role} role or higher.`) +
      (route.when ? ` Mounted only when ${route.when}.` : ""),
    ...(route.role === "none" ? { security: [] } : {}),
    ...(params.length > 0 ? { parameters: params } : {}),
    ...(route.body
      ? {
          requestBody: {
            required: route.method === "post" && !route.body.safeParse({}).success,
            content: { "application/json": { schema: jsonSchema(route.body, "input") } },
          },
        }
      : {}),
    responses,
    "x-voxops-role": route.role,
  };
}

/** Builds the document from the route table. */
export function openApiDocument(routes: readonly RouteSpec[] = apiRoutes): Json {
  const paths: Record<string, Json> = {};
  for (const route of routes) {
    const path = openApiPath(route.path);
    paths[path] = { ...paths[path], [route.method]: operation(route) };
  }
  return {
    openapi: "3.1.0",
    info: {
      title: "voxops",
      version: VOXOPS_VERSION,
      description:
        "Operations API of the voxops controller. Every command goes through the same policy gate, " +
        "confirmations and audit as Telegram. Refusals are {error, message} with the message a sentence " +
        "in the caller's language (lang in the query or body, else Accept-Language).",
    },
    components: { securitySchemes: { bearer: { type: "http", scheme: "bearer" } } },
    security: [{ bearer: [] }],
    paths,
  };
}

let cached: Json | undefined;
/** The document for the app's routes, built once. */
export function servedOpenApiDocument(): Json {
  cached ??= openApiDocument();
  return cached;
}
