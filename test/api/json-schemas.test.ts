/**
 * The JSON Schemas converted at build time (`edge/schemas/json-schemas.generated.json`) against what the zod
 * schemas and the route table give now: a change to an action, a code tool or a route that was not
 * followed by `npm run build:schemas` fails here, with the command to run.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { currentSchemas, generatedPath, renderSchemas } from "../../deploy/write-json-schemas.ts";
import { generatedSchemas } from "../../edge/schemas/generated-schemas.ts";
import { repo } from "../support/child.ts";

describe("json-schemas.generated.json", () => {
  it("equals what the zod schemas and the route table give now", () => {
    const now = currentSchemas();
    expect(generatedSchemas, `${generatedPath} is stale: run npm run build:schemas`).toEqual(now);
    expect(readFileSync(join(repo, generatedPath), "utf8")).toBe(renderSchemas(now));
  });

  it("holds every action, every code tool and the shared answers once in the OpenAPI document", () => {
    const now = currentSchemas();
    expect(Object.keys(now.actionArgs).length).toBeGreaterThan(10);
    expect(Object.keys(now.codeToolArgs)).toEqual([
      "list_files",
      "read_file",
      "search_code",
      "propose_change",
    ]);
    const text = JSON.stringify(now);
    expect(text).not.toContain('"$schema"');
    const openapi = now.openapi as { components: { schemas: Record<string, unknown> } };
    const refusal = JSON.stringify(openapi.components.schemas["Refusal"]);
    expect(refusal).toContain('"required":["error","message"]');
    // The refusal every token-checked route may give is written once and referred to elsewhere.
    expect(JSON.stringify(openapi).split(refusal).length - 1).toBe(1);
    expect(JSON.stringify(openapi)).toContain('{"$ref":"#/components/schemas/Refusal"}');
  });
});
