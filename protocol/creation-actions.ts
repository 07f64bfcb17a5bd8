/**
 * The creation actions: install a new service or a script (and its timer) from a confirmed
 * proposal, run a created script once, list and remove what voxops created. Their schemas join the
 * catalog in `actions.ts`. Only typed fields reach the VM; the units come from a fixed template.
 */
import * as z from "zod";
import { createdNameSchema, newFilePathSchema, onCalendarSchema } from "./created-units.ts";

const sha256 = z.string().regex(/^[0-9a-f]{64}$/, "a SHA-256 in hex");
const lang = z.enum(["ru", "en"]).default("en");
const name = createdNameSchema;

/** One file of a new service. */
export const newFileSchema = z.object({ path: newFilePathSchema, content: z.string().max(200_000) }).strict();

/** Argument schemas of the creation actions. */
export const creationActionArgs = {
  "service-create": z
    .object({
      name,
      port: z.number().int().min(1).max(65535),
      /** The file systemd starts (.js, .mjs or .py). */
      entry: newFilePathSchema,
      files: z.array(newFileSchema).min(1).max(20),
      /** A path the service answers 2xx on after start ("/" when the request names none). */
      healthPath: z
        .string()
        .regex(/^\/[A-Za-z0-9_./-]{0,200}$/)
        .default("/"),
      /** The operator's request, for the audit and the created service's record. */
      request: z.string().min(1).max(500),
      diffSha256: sha256,
      lang,
    })
    .strict(),
  "script-create": z
    .object({
      name,
      language: z.enum(["bash", "python"]),
      content: z.string().min(1).max(100_000),
      /** OnCalendar= for the timer; none: the script only runs when asked. */
      schedule: onCalendarSchema.optional(),
      request: z.string().min(1).max(500),
      diffSha256: sha256,
      lang,
    })
    .strict(),
  "script-run": z.object({ name, lang }).strict(),
  "created-list": z.object({}).strict(),
  "created-remove": z.object({ name, lang }).strict(),
} as const;
