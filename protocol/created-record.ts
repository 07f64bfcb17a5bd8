/** What one thing voxops created on a VM is recorded as: the registry file's and the hello's schema. */
import * as z from "zod";
import { CREATED_PREFIX } from "./created-units.ts";

/** One thing voxops created on a VM, as the VM's registry file and the sidecar's hello carry it. */
export const createdRecordSchema = z.object({
  kind: z.enum(["service", "script"]),
  name: z.string().max(64),
  /** The service unit (a script's is the oneshot unit its timer starts). */
  unit: z
    .string()
    .max(128)
    .refine((u) => u.startsWith(CREATED_PREFIX), `a created unit's name starts with ${CREATED_PREFIX}`),
  timer: z.string().max(128).optional(),
  schedule: z.string().max(128).optional(),
  port: z.number().int().min(1).max(65535).optional(),
  healthPath: z.string().max(256).optional(),
  /** A service's directory, or a script's file. */
  path: z.string().max(1024),
  request: z.string().max(1000),
  createdAt: z.number(),
});

/** One thing voxops created on a VM. */
export type CreatedRecord = Readonly<z.infer<typeof createdRecordSchema>>;
