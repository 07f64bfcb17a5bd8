/** The built-in engine's tools: three reads of the service's source and one `propose_change`, as zod schemas. */
import * as z from "zod";
import { sourcePathSchema } from "../../protocol/code-actions.ts";
import type { ToolSpec } from "../llm/chat.ts";
import { generatedSchemas } from "../schemas/generated-schemas.ts";

/** Arguments of each tool the model may call. */
export const codeToolArgs = {
  list_files: z
    .object({ dir: sourcePathSchema.optional().describe("a directory under the source root") })
    .strict(),
  read_file: z
    .object({
      path: sourcePathSchema.describe("a file under the source root"),
      fromLine: z.number().int().min(1).optional(),
      toLine: z.number().int().min(1).optional(),
    })
    .strict(),
  search_code: z
    .object({ text: z.string().min(2).max(200).describe("text to find (case-insensitive)") })
    .strict(),
  propose_change: z
    .object({
      summary: z
        .string()
        .min(1)
        .max(1000)
        .describe("what the change does, for the operator, in their language"),
      endpoint: z
        .string()
        .regex(/^\/[A-Za-z0-9_./-]{0,200}$/)
        .optional()
        .describe("an HTTP path the change adds, checked after the restart"),
      name: z
        .string()
        .regex(/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/)
        .max(32)
        .optional()
        .describe("for a new script or service only: its short name, lowercase words joined by '-'"),
      entry: z
        .string()
        .max(130)
        .optional()
        .describe("for a new service only: the file systemd starts (a .js or .py file among the files)"),
      files: z
        .array(
          z
            .object({
              path: sourcePathSchema,
              content: z.string().max(1_000_000).optional().describe("the whole new text of the file"),
              edits: z
                .array(
                  z.object({ find: z.string().min(1).max(20_000), replace: z.string().max(20_000) }).strict(),
                )
                .max(50)
                .optional()
                .describe("exact search/replace edits; each find must occur exactly once"),
              delete: z.literal(true).optional().describe("true to delete the file (no content or edits)"),
              renameFrom: sourcePathSchema
                .optional()
                .describe(
                  "move this existing file to path; with content or edits the moved file also changes",
                ),
            })
            .strict(),
        )
        .min(1)
        .max(50),
    })
    .strict(),
} as const;

export type CodeToolName = keyof typeof codeToolArgs;

const descriptions: Record<CodeToolName, string> = {
  list_files: "List files under the service's source root (secrets files and .git are never shown).",
  read_file: "Read a file of the service's source, optionally a line range.",
  search_code: "Search the service's source for a text; returns matching lines.",
  propose_change:
    "Propose the change, once, when you know enough: whole new file contents or exact search/replace edits, " +
    "delete: true to remove a file, renameFrom to move one. " +
    "Nothing is written: the operator sees the diff and decides.",
};

/** The tool specs sent to the model; their JSON Schemas are converted at build time (`generated-schemas.ts`). */
export function codeToolSpecs(): ToolSpec[] {
  return (Object.keys(codeToolArgs) as CodeToolName[]).map((name) => {
    const parameters = generatedSchemas.codeToolArgs[name];
    if (!parameters)
      throw new Error(`${name} is missing from json-schemas.generated.json: run npm run build:schemas`);
    return { name, description: descriptions[name], parameters };
  });
}

/** True when `name` is one of the code tools. */
export function isCodeTool(name: string): name is CodeToolName {
  return Object.hasOwn(codeToolArgs, name);
}
