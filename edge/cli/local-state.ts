/** Where the local run keeps its generated secrets and state, and how the CLI finds them. */
import { randomBytes } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** The repository's root directory. */
export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");

/** The local run's secrets: an admin API token and the local sidecar's key. */
export interface LocalSecrets {
  readonly apiToken: string;
  readonly sidecarKey: string;
}

/** The directory of the local run's state (VOXOPS_HOME, default `<repo>/.voxops`). */
export function localHome(env: NodeJS.ProcessEnv = process.env): string {
  return resolve(env.VOXOPS_HOME ?? join(repoRoot, ".voxops"));
}

/** The file that holds the local secrets. */
export function secretsFile(env: NodeJS.ProcessEnv = process.env): string {
  return join(localHome(env), "local.json");
}

/** Reads the local secrets, or undefined when `npm start` has not made them yet. */
export function readLocalSecrets(env: NodeJS.ProcessEnv = process.env): LocalSecrets | undefined {
  const file = secretsFile(env);
  if (!existsSync(file)) return undefined;
  const data = JSON.parse(readFileSync(file, "utf8")) as Partial<LocalSecrets>;
  return typeof data.apiToken === "string" && typeof data.sidecarKey === "string"
    ? { apiToken: data.apiToken, sidecarKey: data.sidecarKey }
    : undefined;
}

/** Reads the local secrets, generating and saving them (mode 0600) on first use. */
export function ensureLocalSecrets(env: NodeJS.ProcessEnv = process.env): LocalSecrets {
  const existing = readLocalSecrets(env);
  if (existing) return existing;
  const secrets: LocalSecrets = {
    apiToken: randomBytes(24).toString("base64url"),
    sidecarKey: randomBytes(24).toString("base64url"),
  };
  const file = secretsFile(env);
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  writeFileSync(file, `${JSON.stringify(secrets, null, 2)}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
  return secrets;
}

/** The API token the CLI should use: VOXOPS_API_TOKEN, else the local run's. */
export function apiToken(env: NodeJS.ProcessEnv = process.env): string | undefined {
  return env.VOXOPS_API_TOKEN ?? readLocalSecrets(env)?.apiToken;
}

/** The controller URL the CLI talks to: VOXOPS_URL, else the local one. */
export function controllerUrl(env: NodeJS.ProcessEnv = process.env): string {
  return (env.VOXOPS_URL ?? `http://127.0.0.1:${env.PORT ?? 8787}`).replace(/\/$/, "");
}
