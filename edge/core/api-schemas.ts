/**
 * The `/agent/*` API's shared request fields and answer shapes as zod schemas: the route table
 * (`api-spec.ts`) builds every route's body and responses from these, and the OpenAPI document is
 * generated from them.
 */
import * as z from "zod";
import { actionArgs } from "../../protocol/actions/catalog.ts";

/** The language of the answer: Russian or English (else Accept-Language decides). */
export const langField = z
  .enum(["ru", "en"])
  .optional()
  .catch(undefined)
  .describe("the answer's language, ru or en; another value is ignored and Accept-Language decides");

/** A VM name from the inventory, or "all". */
export const vmField = z.string().min(1).max(64).describe('a VM name from the inventory, or "all"');

/** A refusal the API answers: a machine-readable code and a sentence in the caller's language. */
export const refusalSchema = z
  .object({
    error: z.string().describe("a short code, e.g. unauthorized, bad-request, not-found"),
    message: z
      .string()
      .min(1)
      .describe("what was refused and what to do, a sentence in the caller's language"),
    requestId: z.string().optional(),
  })
  .loose();

/** A request the desk refused before running it: invalid arguments or target. */
export const invalidSchema = refusalSchema.extend({ status: z.literal("invalid") });

/** A request the policy gate denied (role, rate limit, policy). */
export const deniedSchema = refusalSchema.extend({
  status: z.literal("denied"),
  retryAfterMs: z.number().nullable(),
});

/** A confirmation already settled, not the caller's, or unknown. */
export const confirmRefusedSchema = refusalSchema.extend({ status: z.literal("refused") });

/** A method and path to call next (confirm, cancel, apply, revert). */
export const linkSchema = z.object({ method: z.enum(["POST", "DELETE"]), path: z.string() });

/** A risky request waiting for the caller to confirm it. */
export const pendingSchema = z.object({
  status: z.literal("pending-confirmation"),
  confirmationId: z.string().min(1),
  readBack: z.string().min(1).describe("the request read back as a sentence"),
  expiresAt: z.string().describe("ISO 8601 time the confirmation expires"),
  confirm: linkSchema,
  cancel: linkSchema,
});

/** A failure a sidecar reported for a command. */
const failureSchema = z
  .object({ code: z.string(), message: z.string(), details: z.array(z.string()).optional() })
  .loose();

/** What one command did on one VM. */
export const outcomeSchema = z
  .object({
    id: z.string().nullable(),
    vm: z.string(),
    action: z.string(),
    ok: z.boolean(),
    output: z.unknown().optional(),
    error: failureSchema.optional(),
    durationMs: z.number(),
  })
  .loose();

/** A request the desk ran: each VM's outcome (or reboot answer) and the reply as text. */
export const doneSchema = z.object({
  status: z.enum(["ok", "failed"]),
  results: z.array(
    z.object({
      vm: z.string(),
      outcome: outcomeSchema.optional(),
      reboot: z
        .object({ accepted: z.boolean(), text: z.object({ ru: z.string(), en: z.string() }) })
        .loose()
        .optional(),
      text: z
        .string()
        .optional()
        .describe("this VM's part of the reply, as the operator reads it (from the action's checked output)"),
    }),
  ),
  text: z.string().describe("the reply as the operator reads it"),
});

/** What a command route answers with each status. */
export const commandResponses = {
  200: ["the request ran", doneSchema],
  202: ["the request waits for a confirmation", pendingSchema],
  403: ["the policy gate denied it", deniedSchema],
  404: ["the VM answered that the thing asked for does not exist", doneSchema],
  409: ["a reboot the watchdog declined", doneSchema],
  422: ["invalid arguments or target", z.union([invalidSchema, doneSchema])],
  502: ["the command failed on the VM", doneSchema],
  503: ["the VM's sidecar is not connected", doneSchema],
  504: ["the VM did not answer in time", doneSchema],
} as const satisfies Record<number, readonly [string, z.ZodType]>;

const buttonsSchema = z.array(z.array(z.object({ label: z.string(), data: z.string() })));

/** The reply `/agent/ask` answers: the desk's reply, and the confirmation to call when it waits for one. */
export const askReplySchema = z
  .object({
    text: z.string().min(1),
    lang: z.enum(["ru", "en"]),
    buttons: buttonsSchema.optional(),
    pendingConfirmation: z.boolean().optional(),
    document: z.object({ name: z.string(), text: z.string() }).optional(),
    outcome: z
      .enum(["denied", "invalid", "not-understood", "failed", "llm-failed", "llm-missing"])
      .optional(),
    confirmationId: z.string().optional(),
    confirm: linkSchema.optional(),
  })
  .loose();

/** A command or change in plain words: not blank; the routes read its first 2000 characters. */
export const commandText = z
  .string()
  .min(1)
  .refine((t) => t.trim() !== "", "blank")
  .describe("plain Russian or English; only the first 2000 characters are read");
/** The body of `POST /agent/commands`: any action of the catalog, its arguments, the VM and the language. */
export const commandBody = z
  .object({
    action: z.enum(Object.keys(actionArgs) as [keyof typeof actionArgs]),
    args: z.record(z.string(), z.unknown()).optional(),
    vm: vmField.optional(),
    lang: langField,
  })
  .meta({ examples: [{ vm: "vm1", action: "status", args: {} }] });
/** The body of `POST /agent/code`: the change in words, and the service and VM when the words do not name them. */
export const codeBody = z
  .object({
    text: commandText,
    service: z.string().min(1).max(64).optional(),
    vm: vmField.optional(),
    lang: langField,
  })
  .meta({ examples: [{ text: "add a /health endpoint", service: "api", vm: "vm1" }] });
