/**
 * The environment an external coding agent gets beyond a login's basics: exactly the variables its
 * inventory engine names (`agentEnv`), their values from the root-owned file only the root helper
 * reads (`/etc/voxops/agent.env`), or from the sidecar's own environment where there is no helper.
 * The values go to the agent process alone; what the agent prints has them masked, and a file of its
 * change that holds one is refused, so they never reach the diff, the audit or the backup.
 */
import { readFile } from "node:fs/promises";
import { parse } from "dotenv";
import { ActionError } from "../services/handler.ts";

/** The file of the agent's secrets on an installed VM: `NAME=value` lines, 0600 root, read by the root helper alone. */
export const AGENT_ENV_FILE = "/etc/voxops/agent.env";

/** Where the local run (no root helper) takes the values from, as the refusal names it. */
export const SIDECAR_ENVIRONMENT = "the sidecar's environment";

/** Reads the agent's secrets file; an absent file holds nothing. */
export async function readAgentEnvFile(path = AGENT_ENV_FILE): Promise<Record<string, string>> {
  const text = await readFile(path, "utf8").catch((e: NodeJS.ErrnoException) => {
    if (e.code === "ENOENT") return "";
    throw new ActionError("agent-env-unreadable", `${path} cannot be read: ${e.code ?? e.message}`);
  });
  return parse(text);
}

/**
 * The values of `names` from `source`; refuses, naming the variable and `from`, when one is missing
 * or empty, before anything runs.
 */
export function agentEnvironment(
  names: readonly string[],
  source: Readonly<Record<string, string | undefined>>,
  from: string,
): Record<string, string> {
  const env: Record<string, string> = {};
  for (const name of names) {
    const value = source[name];
    if (value === undefined || value === "")
      throw new ActionError(
        "agent-env-missing",
        `the coding agent needs ${name}, and ${from} has no value for it; add ${name}=… there and ask again`,
        { details: { variable: name, file: from } },
      );
    env[name] = value;
  }
  return env;
}

/** `text` with every value of `env` (long enough to be a secret) replaced by its variable's name. */
export function maskAgentSecrets(text: string, env: Readonly<Record<string, string>>): string {
  let out = text;
  for (const [name, value] of Object.entries(env))
    if (value.length >= 4) out = out.replaceAll(value, `[${name}]`);
  return out;
}

/** The name of the first variable of `env` whose value is in `content`, or null. */
export function leakedSecret(content: string, env: Readonly<Record<string, string>>): string | null {
  for (const [name, value] of Object.entries(env))
    if (value.length >= 4 && content.includes(value)) return name;
  return null;
}
