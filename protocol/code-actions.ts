/**
 * The programming actions: read a service's source (list, read, search) and apply or revert a
 * confirmed change. Their schemas join the catalog in `actions.ts`.
 */
import * as z from "zod";
import { relativePathSchema, serviceNameSchema } from "./names.ts";

const service = serviceNameSchema;

/** A path inside a service's source root: relative, no "..", no shell characters, no part starting with "-". */
export const sourcePathSchema = relativePathSchema;

const sha256 = z.string().regex(/^[0-9a-f]{64}$/, "a SHA-256 in hex");

/**
 * One file of a confirmed change: its whole new text (null: the file is deleted), the hash of the text
 * it replaces (null: a new file), and for the new side of a rename the path it was moved from (whose
 * deletion is another entry of the same change).
 */
export const changedFileSchema = z
  .object({
    path: sourcePathSchema,
    content: z.string().max(1_000_000).nullable(),
    baseSha256: sha256.nullable(),
    renamedFrom: sourcePathSchema.optional(),
  })
  .strict()
  .refine((f) => f.content !== null || f.baseSha256 !== null, {
    message: "a deleted file needs the hash of the text it removes",
  })
  .refine((f) => f.renamedFrom === undefined || (f.content !== null && f.baseSha256 === null), {
    message: "the new side of a rename is a new file with content",
  });

/** A changed file as the apply action receives it. */
export type ChangedFile = z.infer<typeof changedFileSchema>;

/** Argument schemas of the programming actions. */
export const codeActionArgs = {
  "code-list": z
    .object({ service, dir: sourcePathSchema.optional(), depth: z.number().int().min(1).max(4).default(2) })
    .strict(),
  "code-read": z
    .object({
      service,
      path: sourcePathSchema,
      fromLine: z.number().int().min(1).default(1),
      toLine: z.number().int().min(1).optional(),
    })
    .strict(),
  "code-search": z
    .object({
      service,
      text: z.string().min(2).max(200),
      maxHits: z.number().int().min(1).max(200).default(50),
    })
    .strict(),
  "code-apply": z
    .object({
      service,
      /** The operator's request, used as the commit message. */
      request: z.string().min(1).max(500),
      files: z.array(changedFileSchema).min(1).max(50),
      /** The hash of the unified diff the operator confirmed, for the audit. */
      diffSha256: sha256,
      /** A path the change adds (e.g. "/health"), checked to answer after the restart. */
      endpoint: z
        .string()
        .regex(/^\/[A-Za-z0-9_./-]{0,200}$/)
        .optional(),
      /** The operator's language, for the sidecar's account of what failed. */
      lang: z.enum(["ru", "en"]).default("en"),
    })
    .strict(),
  "code-revert": z
    .object({
      service,
      commit: z.string().regex(/^[0-9a-f]{7,64}$/, "a commit id in hex"),
      lang: z.enum(["ru", "en"]).default("en"),
    })
    .strict(),
  "code-agent": z.object({ service, request: z.string().min(1).max(2000) }).strict(),
} as const;
