/**
 * The wire protocol between the controller and its sidecars: one discriminated union on `type`,
 * imported by both sides. Every frame that arrives is parsed with `parseFrame`; nothing is cast.
 */
import * as z from "zod";
import { createdRecordSchema } from "./created-record.ts";

/** Protocol version carried in `hello`; bump on an incompatible change. */
export const PROTOCOL_VERSION = 1;

/** A VM name as the inventory spells it: lowercase letters, digits and dashes. */
export const vmNameSchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{0,31}$/, "a VM name is lowercase letters, digits and dashes");

const idSchema = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, "an id is 1-64 letters, digits, '-' or '_'");

/** The VM's basic figures, read from /proc and statfs. */
export const figuresSchema = z.object({
  uptimeS: z.number().nonnegative(),
  load: z.tuple([z.number(), z.number(), z.number()]),
  memory: z.object({ totalB: z.number().nonnegative(), availableB: z.number().nonnegative() }),
  disk: z.object({ path: z.string(), totalB: z.number().nonnegative(), freeB: z.number().nonnegative() }),
});
export type Figures = z.infer<typeof figuresSchema>;

/**
 * First frame a sidecar sends after the socket opens, and again whenever what it announces changes
 * (a service voxops created or removed): the controller takes the newest as the VM's.
 */
export const helloSchema = z.object({
  type: z.literal("hello"),
  v: z.number().int(),
  vm: vmNameSchema,
  version: z.string().max(64),
  capabilities: z.array(z.string().max(64)).max(64),
  services: z.array(z.string().max(128)).max(256).default([]),
  /** What voxops created on the VM (its registry); absent from sidecars that predate it. */
  created: z.array(createdRecordSchema).max(256).optional(),
  bootId: z.string().max(64).optional(),
  startedAt: z.number(),
});

/** Periodic liveness and figures from a sidecar. */
export const heartbeatSchema = z.object({
  type: z.literal("heartbeat"),
  at: z.number(),
  figures: figuresSchema,
  failedUnits: z.array(z.string().max(128)).max(256).default([]),
  peers: z
    .array(
      z.object({
        vm: vmNameSchema,
        ok: z.boolean(),
        lastOkAt: z.number().nullable(),
        misses: z.number().int(),
      }),
    )
    .max(16)
    .default([]),
});

/** A command from the controller to run one typed action; `deadline` is epoch milliseconds. */
export const commandSchema = z.object({
  type: z.literal("command"),
  id: idSchema,
  action: z.string().regex(/^[a-z][a-z-]{0,31}$/),
  args: z.record(z.string(), z.unknown()).default({}),
  deadline: z.number(),
});

/** Receipt for a command (sent by the sidecar) or for a result or event (sent by the controller). */
export const ackSchema = z.object({
  type: z.literal("ack"),
  id: idSchema,
  of: z.enum(["command", "result", "event"]),
});

/** Structured failure, with whether trying again may help, and the action's typed details (protocol/failure-details.ts). */
export const failureSchema = z.object({
  code: z.string().max(64),
  message: z.string().max(4000),
  retryable: z.boolean().default(false),
  details: z.record(z.string(), z.unknown()).optional(),
});
export type Failure = z.infer<typeof failureSchema>;

/** Outcome of a command. */
export const resultSchema = z.object({
  type: z.literal("result"),
  id: idSchema,
  ok: z.boolean(),
  output: z.unknown().optional(),
  error: failureSchema.optional(),
  startedAt: z.number().optional(),
  finishedAt: z.number().optional(),
});

/** Something the sidecar noticed on its own: a log finding, a fix applied, a peer down. */
export const eventSchema = z.object({
  type: z.literal("event"),
  id: idSchema,
  kind: z.string().regex(/^[a-z][a-z.-]{0,63}$/),
  at: z.number(),
  data: z.record(z.string(), z.unknown()).default({}),
});

/** A complaint about a frame that could not be used; `ref` names the frame's id when it had one. */
export const errorSchema = z.object({
  type: z.literal("error"),
  code: z.string().max(64),
  message: z.string().max(2000),
  ref: z.string().max(64).optional(),
});

/** Any frame on the link. */
export const frameSchema = z.discriminatedUnion("type", [
  helloSchema,
  heartbeatSchema,
  commandSchema,
  ackSchema,
  resultSchema,
  eventSchema,
  errorSchema,
]);

export type Frame = z.infer<typeof frameSchema>;
export type HelloFrame = z.infer<typeof helloSchema>;
export type HeartbeatFrame = z.infer<typeof heartbeatSchema>;
export type CommandFrame = z.infer<typeof commandSchema>;
export type AckFrame = z.infer<typeof ackSchema>;
export type ResultFrame = z.infer<typeof resultSchema>;
export type EventFrame = z.infer<typeof eventSchema>;
export type ErrorFrame = z.infer<typeof errorSchema>;

/** Largest frame either side accepts, in bytes. */
export const MAX_FRAME_BYTES = 1_000_000;

export type ParsedFrame = { ok: true; frame: Frame } | { ok: false; error: ErrorFrame };

/** Parses raw socket data into a frame, or into the error frame that should be sent back. */
export function parseFrame(data: unknown): ParsedFrame {
  const text =
    typeof data === "string" ? data : data instanceof ArrayBuffer ? new TextDecoder().decode(data) : null;
  if (text === null) return { ok: false, error: frameError("bad-frame", "frames are JSON text") };
  if (text.length > MAX_FRAME_BYTES)
    return { ok: false, error: frameError("too-large", `frame over ${MAX_FRAME_BYTES} bytes`) };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { ok: false, error: frameError("bad-json", "frame is not valid JSON") };
  }
  const parsed = frameSchema.safeParse(json);
  if (parsed.success) return { ok: true, frame: parsed.data };
  const ref =
    typeof json === "object" && json !== null && "id" in json
      ? String((json as { id: unknown }).id).slice(0, 64)
      : undefined;
  const issue = parsed.error.issues[0];
  const where = issue && issue.path.length > 0 ? ` at ${issue.path.join(".")}` : "";
  return {
    ok: false,
    error: frameError("invalid-frame", `${issue?.message ?? "invalid frame"}${where}`, ref),
  };
}

/** Builds an error frame. */
export function frameError(code: string, message: string, ref?: string): ErrorFrame {
  return ref === undefined ? { type: "error", code, message } : { type: "error", code, message, ref };
}

/** Serialises a frame for the socket. */
export function encodeFrame(frame: Frame): string {
  return JSON.stringify(frame);
}
