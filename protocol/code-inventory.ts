/**
 * The inventory's `code` block of a service: where its source lives, which checks a change must
 * pass, which engine writes changes, and how big a change may be.
 */
import * as z from "zod";

const absolutePath = z
  .string()
  .max(1024)
  .regex(/^\/[A-Za-z0-9_./@+-]*$/, "an absolute path of letters, digits and _ . / @ + -")
  .refine((p) => !p.split("/").includes(".."), "a path may not contain '..'");

const argv = z.array(z.string().min(1).max(512)).min(1).max(32);

/** Variables every process gets from voxops itself, which the agent's environment never overrides. */
const RESERVED_ENV = new Set(["PATH", "HOME", "USER", "LOGNAME", "LANG", "LC_ALL", "GIT_TERMINAL_PROMPT"]);

/** The name of an environment variable the agent needs (its value is never in the inventory). */
const agentEnvName = z
  .string()
  .max(128)
  .regex(
    /^[A-Za-z_][A-Za-z0-9_]*$/,
    "an environment variable's name: letters, digits and _, not first a digit",
  )
  .refine((n) => !RESERVED_ENV.has(n) && !/^(LD_|GIT_|NODE_OPTIONS$|VOXOPS)/.test(n), {
    message: "voxops sets this variable itself, or it would change how programs load; it cannot be passed",
  });

/** An external coding agent on the VM: an argv template ("{request}" stands for the operator's words). */
const agentEngineSchema = z
  .object({
    agent: argv,
    timeoutS: z.number().int().min(10).max(3600).default(600),
    /**
     * Names of the environment variables the agent needs (e.g. ANTHROPIC_API_KEY); their values come
     * from /etc/voxops/agent.env, which only the root helper reads (the sidecar's environment without it).
     */
    agentEnv: z.array(agentEnvName).max(16).default([]),
  })
  .strict();

/** The `code` block of a service in the inventory. */
export const codeSpecSchema = z
  .object({
    /** The service's source root; every read and write stays inside it. */
    root: absolutePath,
    /** Commands a change must pass (tests, linters, build), run in the root as argv lists. */
    checks: z.array(argv).max(8).default([]),
    /** "built-in" (the configured LLM in a bounded tool loop) or an external coding agent. */
    engine: z.union([z.literal("built-in"), agentEngineSchema]).default("built-in"),
    /** Files one change may touch. */
    maxFiles: z.number().int().min(1).max(50).default(10),
    /** Changed lines (added + removed) one change may have. */
    maxLines: z.number().int().min(1).max(20_000).default(800),
    /** Largest file that may be read or written, in bytes. */
    maxFileBytes: z.number().int().min(1024).max(1_000_000).default(200_000),
  })
  .strict();

/** A service's code settings, defaults applied. */
export type CodeSpec = z.infer<typeof codeSpecSchema>;

/** The names of the variables the coding agents of `services` need (their engines' `agentEnv`), each once. */
export function agentEnvNames(services: readonly { readonly code?: CodeSpec | undefined }[]): string[] {
  const names = new Set<string>();
  for (const s of services)
    if (s.code && s.code.engine !== "built-in") for (const n of s.code.engine.agentEnv) names.add(n);
  return [...names];
}
