/**
 * The inventory: which VMs there are, what they are called in Russian and English, which services
 * each runs and how to check, configure, deploy and back them up. Validated once at start.
 */
import * as z from "zod";
import { codeSpecSchema } from "./code-inventory.ts";
import { type VmCodeSpec, vmCodeSchema } from "./creation-inventory.ts";
import { vmNameSchema } from "./frames.ts";
import { gitRefSchema, serviceNameSchema } from "./names.ts";

const absolutePathSchema = z
  .string()
  .max(1024)
  .regex(/^\/[A-Za-z0-9_./@+-]*$/, "an absolute path of letters, digits and _ . / @ + -")
  .refine((p) => !p.split("/").includes(".."), "a path may not contain '..'");

/** An argv list (never a shell string); "{file}" in an element stands for the file being checked. */
const argvSchema = z.array(z.string().min(1).max(512)).min(1).max(32);

const configFileSchema = z
  .object({
    path: absolutePathSchema,
    format: z.enum(["text", "json", "yaml", "nginx"]).default("text"),
    check: argvSchema.optional(),
    apply: z.enum(["reload", "restart", "none"]).default("restart"),
  })
  .strict();

const serviceObjectSchema = z
  .object({
    name: serviceNameSchema,
    aliases: z.array(z.string().min(1).max(64)).max(32).default([]),
    unit: z
      .string()
      .regex(/^[A-Za-z0-9_.@-]+$/)
      .optional(),
    health: z.url().optional(),
    configs: z.array(configFileSchema).max(16).default([]),
    repo: z
      .object({
        path: absolutePathSchema,
        branch: gitRefSchema.default("main"),
        remote: z
          .string()
          .regex(/^[A-Za-z0-9_.-]+$/)
          .default("origin"),
        build: z.array(argvSchema).max(8).default([]),
      })
      .strict()
      .optional(),
    workdir: absolutePathSchema.optional(),
    manifest: absolutePathSchema.optional(),
    backup: z.array(absolutePathSchema).max(64).default([]),
    logs: z.array(absolutePathSchema).max(16).default([]),
    port: z.number().int().min(1).max(65535).optional(),
    code: codeSpecSchema.optional(),
  })
  .strict();

/** A service as written in the inventory: a bare name or a full description. */
const serviceEntrySchema = z.union([serviceNameSchema, serviceObjectSchema]);

const vmSchema = z
  .object({
    role: z.string().max(64).default(""),
    aliases: z.array(z.string().min(1).max(64)).max(32).default([]),
    services: z.array(serviceEntrySchema).max(128).default([]),
    backup: z.array(absolutePathSchema).max(64).default([]),
    oci: z
      .object({
        instanceId: z.string().regex(/^ocid1\.instance\.[a-z0-9._-]+$/),
        region: z
          .string()
          .regex(/^[a-z0-9-]+$/)
          .optional(),
      })
      .strict()
      .optional(),
    autoReset: z.boolean().default(true),
    /** New services and scripts voxops may create on this VM (README "Programming from the phone"). */
    code: vmCodeSchema.optional(),
  })
  .strict();

/** The whole inventory file. */
export const inventorySchema = z
  .object({
    vms: z
      .record(vmNameSchema, vmSchema)
      .refine((v) => Object.keys(v).length > 0, "the inventory names no VM"),
    backup: z
      .object({
        repo: z.string().min(1).max(1024),
        branch: gitRefSchema.default("main"),
      })
      .strict()
      .optional(),
  })
  .strict();

export type InventoryFile = z.input<typeof inventorySchema>;
export type ServiceSpec = z.infer<typeof serviceObjectSchema>;
export type ConfigFileSpec = z.infer<typeof configFileSchema>;

/** One VM with its services normalised to full descriptions. */
export interface VmSpec {
  readonly name: string;
  readonly role: string;
  readonly aliases: readonly string[];
  readonly services: readonly ServiceSpec[];
  readonly backup: readonly string[];
  readonly oci?: { instanceId: string; region?: string | undefined };
  readonly autoReset: boolean;
  readonly code?: VmCodeSpec;
}

/** The validated inventory. */
export interface Inventory {
  readonly vms: readonly VmSpec[];
  readonly backup?: { repo: string; branch: string } | undefined;
  /** VM by name, if the inventory has it. */
  vm(name: string): VmSpec | undefined;
  /** Names of the VMs that run a service. */
  vmsWithService(service: string): string[];
  /** A service's full description on a VM. */
  service(vm: string, service: string): ServiceSpec | undefined;
}

export type InventoryResult = { ok: true; inventory: Inventory } | { ok: false; errors: string[] };

/** Validates raw inventory data; errors name the place in the file and what is wrong. */
export function parseInventory(raw: unknown): InventoryResult {
  const parsed = inventorySchema.safeParse(raw);
  if (!parsed.success) {
    return {
      ok: false,
      errors: parsed.error.issues.map(
        (i) => `${i.path.length > 0 ? i.path.join(".") : "(top)"}: ${i.message}`,
      ),
    };
  }
  const errors: string[] = [];
  const vms: VmSpec[] = Object.entries(parsed.data.vms).map(([name, vm]) => {
    const services = vm.services.map((s) =>
      typeof s === "string" ? serviceObjectSchema.parse({ name: s }) : s,
    );
    const seen = new Set<string>();
    for (const s of services) {
      if (seen.has(s.name)) errors.push(`vms.${name}.services: "${s.name}" is listed twice`);
      seen.add(s.name);
    }
    const spec: VmSpec = {
      name,
      role: vm.role,
      aliases: vm.aliases,
      services,
      backup: vm.backup,
      autoReset: vm.autoReset,
      ...(vm.oci ? { oci: vm.oci } : {}),
      ...(vm.code ? { code: vm.code } : {}),
    };
    return spec;
  });
  if (errors.length > 0) return { ok: false, errors };
  const byName = new Map(vms.map((v) => [v.name, v]));
  const inventory: Inventory = {
    vms,
    backup: parsed.data.backup,
    vm: (name) => byName.get(name),
    vmsWithService: (service) =>
      vms.filter((v) => v.services.some((s) => s.name === service)).map((v) => v.name),
    service: (vm, service) => byName.get(vm)?.services.find((s) => s.name === service),
  };
  return { ok: true, inventory };
}
