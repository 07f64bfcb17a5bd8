/**
 * The inventory's VM-level `code` block: whether voxops may create new services and scripts on the
 * VM, where their files go, which user runs them and which ports a new service may take.
 */
import * as z from "zod";

const absolutePath = z
  .string()
  .max(1024)
  .regex(/^\/[A-Za-z0-9_./@+-]*$/, "an absolute path of letters, digits and _ . / @ + -")
  .refine((p) => !p.split("/").includes(".."), "a path may not contain '..'")
  .refine((p) => p.length > 1 && !p.endsWith("/"), "a directory other than / without a trailing slash");

/** A system user to run created units as (omitted: systemd's DynamicUser). */
const userSchema = z
  .string()
  .regex(/^[a-z_][a-z0-9_-]{0,31}$/, "a user name of lowercase letters, digits, '_' and '-'")
  .refine((u) => u !== "root", "created units never run as root");

const portSchema = z.number().int().min(1024).max(65535);

/** Where created services live and what they may take. */
export const newServicesSchema = z
  .object({
    /** Each new service's code goes to ROOT/NAME. */
    root: absolutePath,
    user: userSchema.optional(),
    /** The lowest and highest port a new service may listen on. */
    portRange: z
      .tuple([portSchema, portSchema])
      .refine(([a, b]) => a <= b, "portRange is [lowest, highest]")
      .default([9000, 9999]),
    /** The interpreters the unit's ExecStart runs, by language. */
    node: absolutePath.default("/usr/bin/node"),
    python: absolutePath.default("/usr/bin/python3"),
  })
  .strict();

/** Where created scripts live. */
export const scriptsSchema = z
  .object({
    /** Each script is DIR/NAME.sh or DIR/NAME.py. */
    dir: absolutePath,
    user: userSchema.optional(),
    /** Paths the script may write (everything else is read-only to it), e.g. ["/var/log/myapp"]. */
    writable: z.array(absolutePath).max(16).default([]),
    python: absolutePath.default("/usr/bin/python3"),
  })
  .strict();

/** The VM-level `code` block. */
export const vmCodeSchema = z
  .object({ newServices: newServicesSchema.optional(), scripts: scriptsSchema.optional() })
  .strict();

/** A VM's creation settings, defaults applied. */
export type VmCodeSpec = z.infer<typeof vmCodeSchema>;
export type NewServicesSpec = z.infer<typeof newServicesSchema>;
export type ScriptsSpec = z.infer<typeof scriptsSchema>;
