/**
 * `npm run build:schemas`: writes `edge/schemas/json-schemas.generated.json`, the JSON Schemas the hosts serve
 * and send (the OpenAPI document, each action's arguments, the MCP action result, the code tools'
 * arguments), converted from their zod schemas here at build time so the Worker never converts at run
 * time; `--check` only says whether the file is stale (`test/api/json-schemas.test.ts` checks the same).
 */
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { type CodeToolName, codeToolArgs } from "../edge/code/code-tools.ts";
import { actionResultSchema } from "../edge/mcp/mcp-tools.ts";
import { openApiDocument } from "../edge/openapi-document.ts";
import type { GeneratedSchemas } from "../edge/schemas/generated-schemas.ts";
import { jsonSchemaOf } from "../edge/schemas/json-schema.ts";
import { type ActionName, actionArgs } from "../protocol/actions/catalog.ts";

/** The generated file, relative to the repository. */
export const generatedPath = "edge/schemas/json-schemas.generated.json";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");

/** What the generated file holds when it matches the zod schemas and the route table. */
export function currentSchemas(): GeneratedSchemas {
  const each = <K extends string>(names: K[], schema: (name: K) => Parameters<typeof jsonSchemaOf>[0]) =>
    Object.fromEntries(names.map((name) => [name, jsonSchemaOf(schema(name), "input")])) as Record<
      K,
      Record<string, unknown>
    >;
  return {
    generatedBy: "npm run build:schemas, from the zod schemas and edge/api-spec.ts; do not edit",
    actionArgs: each(Object.keys(actionArgs) as ActionName[], (name) => actionArgs[name]),
    actionResult: jsonSchemaOf(actionResultSchema, "output"),
    codeToolArgs: each(Object.keys(codeToolArgs) as CodeToolName[], (name) => codeToolArgs[name]),
    openapi: openApiDocument(),
  };
}

/** The file's text for `schemas`. */
export function renderSchemas(schemas: GeneratedSchemas): string {
  return `${JSON.stringify(schemas, null, 2)}\n`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const file = join(root, generatedPath);
  const text = renderSchemas(currentSchemas());
  let now = "";
  try {
    now = readFileSync(file, "utf8");
  } catch {}
  if (now === text) process.stdout.write("Up to date.\n");
  else if (process.argv.includes("--check")) {
    process.stderr.write(`Out of date: ${generatedPath}. Run npm run build:schemas.\n`);
    process.exitCode = 1;
  } else {
    writeFileSync(file, text);
    process.stdout.write(`Wrote ${generatedPath}.\n`);
  }
}
