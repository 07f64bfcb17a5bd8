/** The answers of the code routes (`code-routes.ts`) as zod schemas, for the route table and the OpenAPI document. */
import * as z from "zod";
import { linkSchema } from "../core/api-schemas.ts";

const stepsSchema = z.array(z.unknown()).describe("the pipeline's steps and their results");

/** A proposed code change waiting for confirmation. */
export const codeProposalSchema = z.object({
  status: z.literal("pending-confirmation"),
  confirmationId: z.string(),
  expiresAt: z.union([z.string(), z.number()]),
  vm: z.string(),
  service: z.string(),
  summary: z.string(),
  readBack: z.string(),
  files: z.array(z.string()),
  added: z.number(),
  removed: z.number(),
  diff: z.string(),
  diffSha256: z.string(),
  steps: z.unknown(),
  apply: linkSchema,
  cancel: linkSchema,
});
/** A code request answered without a proposal: a sentence. */
export const codeAnswerSchema = z.object({
  status: z.string(),
  error: z.string().optional(),
  message: z.string().min(1),
});
/** What applying a confirmed change did. */
export const codeAppliedSchema = z.object({
  status: z.enum(["applied", "failed"]),
  text: z.string().min(1),
  steps: stepsSchema,
  revertConfirmationId: z.string().optional(),
  revert: linkSchema.optional(),
});
