/**
 * The catalog of typed actions: the only way anything runs on a VM. Telegram, the HTTPS API, the
 * CLI, the LLM's tools and the auto-fix rules all build these objects and pass the same policy gate.
 */
import * as z from "zod";
import { codeActionArgs, codeActionSpecs } from "./code-actions.ts";
import { creationActionArgs, creationActionSpecs } from "./creation-actions.ts";
import { relativePathSchema, serviceNameSchema } from "./names.ts";

/** How much harm an action can do: read changes nothing, destructive can take a VM away. */
export type Risk = "read" | "change" | "destructive";

export { relativePathSchema, serviceNameSchema } from "./names.ts";

/**
 * A git ref (commit, branch or tag), refused here by git's own rules (git check-ref-format) before git
 * sees it: no "..", no "@{", no "//", no part starting with "." or ending in ".lock", no "/" or "." at the end.
 */
export const gitRefSchema = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._/-]{0,127}$/, "not a valid git ref")
  .refine((r) => !r.includes(".."), "a git ref may not contain '..'")
  .refine(
    (r) =>
      !r.includes("@{") &&
      !r.includes("//") &&
      !r.endsWith("/") &&
      !r.endsWith(".") &&
      !r.split("/").some((part) => part.startsWith(".") || part.endsWith(".lock")),
    "not a valid git ref (see git check-ref-format)",
  );

const metricSchema = z.enum(["memory", "disk", "cpu", "all"]);

/** Argument schemas of every action, keyed by action name. */
export const actionArgs = {
  status: z.object({ service: serviceNameSchema.optional() }).strict(),
  logs: z
    .object({ service: serviceNameSchema, lines: z.number().int().min(1).max(1000).default(50) })
    .strict(),
  metrics: z.object({ metric: metricSchema.default("all") }).strict(),
  errors: z
    .object({
      service: serviceNameSchema.optional(),
      sinceMinutes: z.number().int().min(1).max(1440).default(60),
    })
    .strict(),
  restart: z.object({ service: serviceNameSchema }).strict(),
  fix: z.object({ service: serviceNameSchema.optional(), rule: z.string().max(64).optional() }).strict(),
  config: z
    .object({
      service: serviceNameSchema,
      file: relativePathSchema.optional(),
      content: z.string().max(256_000).optional(),
      patch: z
        .array(z.object({ find: z.string().min(1).max(4000), replace: z.string().max(4000) }).strict())
        .max(50)
        .optional(),
    })
    .strict(),
  deploy: z.object({ service: serviceNameSchema, ref: gitRefSchema.optional() }).strict(),
  backup: z.object({ reason: z.string().max(200).optional() }).strict(),
  restore: z.object({ path: relativePathSchema, ref: gitRefSchema.optional() }).strict(),
  reboot: z.object({ mode: z.enum(["soft", "hard"]).default("soft") }).strict(),
  "restart-sidecar": z.object({}).strict(),
  probe: z.object({ vm: z.string().regex(/^[a-z0-9][a-z0-9-]{0,31}$/) }).strict(),
  ...codeActionArgs,
  ...creationActionArgs,
} as const;

export type ActionName = keyof typeof actionArgs;
export type ActionArgs<A extends ActionName> = z.infer<(typeof actionArgs)[A]>;

/** Static facts about an action: its risk and whether a human must confirm it. */
export interface ActionSpec {
  readonly risk: Risk;
  readonly confirm: boolean;
  readonly summary: string;
  /** How long the controller waits for the result when the caller gives no deadline. */
  readonly timeoutMs?: number;
}

/** Risk and confirmation per action. */
export const actionSpecs: Record<ActionName, ActionSpec> = {
  status: { risk: "read", confirm: false, summary: "service states and the VM's figures" },
  logs: { risk: "read", confirm: false, summary: "the last lines of a service's journal" },
  metrics: { risk: "read", confirm: false, summary: "memory, swap, disk, CPU load, top processes" },
  errors: { risk: "read", confirm: false, summary: "failed units and error lines, grouped and counted" },
  restart: {
    risk: "change",
    confirm: false,
    summary: "restart a service and verify it came up",
    timeoutMs: 120_000,
  },
  fix: {
    risk: "change",
    confirm: true,
    summary: "diagnose and repair a service with the known fixes",
    timeoutMs: 600_000,
  },
  config: {
    risk: "change",
    confirm: true,
    summary: "change a config file, validated, with rollback",
    timeoutMs: 300_000,
  },
  deploy: {
    risk: "change",
    confirm: true,
    summary: "fast-forward a service's checkout, build, restart, roll back on failure",
    timeoutMs: 900_000,
  },
  backup: {
    risk: "change",
    confirm: false,
    summary: "commit and push configured paths to the backup repository",
    timeoutMs: 300_000,
  },
  restore: {
    risk: "change",
    confirm: true,
    summary: "bring a file back from the backup repository",
    timeoutMs: 120_000,
  },
  reboot: { risk: "destructive", confirm: true, summary: "reboot the VM" },
  "restart-sidecar": { risk: "change", confirm: false, summary: "restart the voxops sidecar itself" },
  probe: { risk: "read", confirm: false, summary: "probe a peer VM's sidecar now" },
  ...codeActionSpecs,
  ...creationActionSpecs,
};

/** True when `name` is an action in the catalog. */
export function isActionName(name: string): name is ActionName {
  return Object.hasOwn(actionArgs, name);
}

export type ParsedAction =
  | { ok: true; action: ActionName; args: Record<string, unknown> }
  | { ok: false; code: "unknown-action" | "invalid-args"; message: string };

/** Validates an action name and its arguments against the catalog. */
export function parseAction(action: string, args: unknown): ParsedAction {
  if (!isActionName(action))
    return { ok: false, code: "unknown-action", message: `unknown action "${action.slice(0, 40)}"` };
  const parsed = actionArgs[action].safeParse(args ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue && issue.path.length > 0 ? `${issue.path.join(".")}: ` : "";
    return {
      ok: false,
      code: "invalid-args",
      message: `${action}: ${where}${issue?.message ?? "invalid arguments"}`,
    };
  }
  return { ok: true, action, args: parsed.data as Record<string, unknown> };
}
