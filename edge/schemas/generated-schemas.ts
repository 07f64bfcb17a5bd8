/**
 * The JSON Schemas converted from zod at build time (`npm run build:schemas` writes
 * `json-schemas.generated.json`; a test fails when it is stale), so neither host converts at run time.
 */

import type { JsonSchema } from "./json-schema.ts";
import generated from "./json-schemas.generated.json" with { type: "json" };

/** The generated file's shape. */
export interface GeneratedSchemas {
  /** Says what wrote the file. */
  readonly generatedBy: string;
  /** Each catalog action's arguments as a caller writes them, by action name. */
  readonly actionArgs: Readonly<Record<string, JsonSchema>>;
  /** The structured result of an MCP action tool. */
  readonly actionResult: JsonSchema;
  /** The built-in code engine's tool arguments, by tool name. */
  readonly codeToolArgs: Readonly<Record<string, JsonSchema>>;
  /** The OpenAPI 3.1 document served at /agent/openapi.json. */
  readonly openapi: JsonSchema;
}

/** The schemas as generated. */
export const generatedSchemas: GeneratedSchemas = generated;

/** The JSON Schema of an action's arguments; an action the file does not know (it is stale) throws. */
export function actionArgsJsonSchema(action: string): JsonSchema {
  const schema = generatedSchemas.actionArgs[action];
  if (!schema)
    throw new Error(`${action} is missing from json-schemas.generated.json: run npm run build:schemas`);
  return schema;
}
