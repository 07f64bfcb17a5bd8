/**
 * The one conversion from zod to JSON Schema: zod's own `z.toJSONSchema` (JSON Schema 2020-12, which
 * OpenAPI 3.1 and the MCP and LLM tool lists take), without the `$schema` key that schemas embedded in a
 * document or a tool list do not carry. It runs at build time (`npm run build:schemas`); the hosts read
 * its results from `json-schemas.generated.json`.
 */
import * as z from "zod";

/** A JSON Schema object. */
export type JsonSchema = Record<string, unknown>;

/**
 * The JSON Schema of `schema` as a caller writes it (`input`: defaults optional) or as it is sent
 * (`output`); a part JSON Schema cannot say (a transform, a custom check) accepts any value.
 */
export function jsonSchemaOf(schema: z.ZodType, io: "input" | "output"): JsonSchema {
  const { $schema: _, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: "any" }) as JsonSchema;
  return rest;
}
