/**
 * The OpenAPI 3.1 document of the HTTPS app, generated from the route table (`api-spec.ts`) at build
 * time (`npm run build:schemas`); the hosts serve the generated copy at /agent/openapi.json.
 */
import type * as z from "zod";
import { apiRoutes, type RouteSpec } from "./api-spec.ts";
import { VOXOPS_VERSION } from "./app.ts";
import {
  askReplySchema,
  confirmRefusedSchema,
  deniedSchema,
  doneSchema,
  invalidSchema,
  outcomeSchema,
  pendingSchema,
  refusalSchema,
} from "./core/api-schemas.ts";
import { jsonSchemaOf as jsonSchema } from "./schemas/json-schema.ts";

type Json = Record<string, unknown>;

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

/**
 * The answers many routes share, listed once under `components.schemas`: where one of them appears
 * whole in an operation (or inside another of them), the document says `$ref` instead of repeating it.
 */
const sharedSchemas: Readonly<Record<string, z.ZodType>> = {
  Refusal: refusalSchema,
  Invalid: invalidSchema,
  Denied: deniedSchema,
  ConfirmRefused: confirmRefusedSchema,
  Pending: pendingSchema,
  Outcome: outcomeSchema,
  Done: doneSchema,
  AskReply: askReplySchema,
};

/** `node` with every subschema equal to a shared one (except `self`) replaced by its `$ref`. */
function withRefs(node: unknown, refs: ReadonlyMap<string, string>, self?: string): unknown {
  if (typeof node !== "object" || node === null) return node;
  const ref = refs.get(JSON.stringify(node));
  if (ref !== undefined && ref !== self) return { $ref: ref };
  if (Array.isArray(node)) return node.map((item) => withRefs(item, refs, self));
  return Object.fromEntries(Object.entries(node).map(([key, value]) => [key, withRefs(value, refs, self)]));
}

/** Builds the document from the route table. */
export function openApiDocument(routes: readonly RouteSpec[] = apiRoutes): Json {
  const schemas = Object.fromEntries(
    Object.entries(sharedSchemas).map(([name, schema]) => [name, jsonSchema(schema, "output")]),
  );
  const refs = new Map(
    Object.entries(schemas).map(([name, schema]) => [JSON.stringify(schema), `#/components/schemas/${name}`]),
  );
  const paths: Record<string, Json> = {};
  for (const route of routes) {
    const path = openApiPath(route.path);
    paths[path] = { ...paths[path], [route.method]: withRefs(operation(route), refs) };
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
    components: {
      schemas: Object.fromEntries(
        Object.entries(schemas).map(([name, schema]) => [
          name,
          withRefs(schema, refs, `#/components/schemas/${name}`),
        ]),
      ),
      securitySchemes: { bearer: { type: "http", scheme: "bearer" } },
    },
    security: [{ bearer: [] }],
    paths,
  };
}
