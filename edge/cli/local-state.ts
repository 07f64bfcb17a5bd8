/** Where the local run keeps its generated secrets and state, and how the CLI finds them. */
import { randomBytes } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { type CliClientSettings, cliClientSettings } from "../../protocol/settings/cli-settings.ts";
import { knownSettingNames } from "../../protocol/settings/known-settings.ts";
import { parseSettings } from "../../protocol/settings/parse-settings.ts";

/** The repository's root directory. */
export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");

/** The local run's secrets: an admin API token and the local sidecar's key. */
export interface LocalSecrets {
  readonly apiToken: string;
  readonly sidecarKey: string;
}

/** The directory of the local run's state: the VOXOPS_HOME setting, default `<repo>/.voxops`. */
export function localHome(setting: string | undefined): string {
  return resolve(setting ?? join(repoRoot, ".voxops"));
}

/** The file that holds the local secrets. */
export function secretsFile(home: string): string {
  return join(home, "local.json");
}

/** Reads the local secrets, or undefined when `npm start` has not made them yet. */
export function readLocalSecrets(home: string): LocalSecrets | undefined {
  const file = secretsFile(home);
  if (!existsSync(file)) return undefined;
  const data = JSON.parse(readFileSync(file, "utf8")) as Partial<LocalSecrets>;
  return typeof data.apiToken === "string" && typeof data.sidecarKey === "string"
    ? { apiToken: data.apiToken, sidecarKey: data.sidecarKey }
    : undefined;
}

/** Reads the local secrets, generating and saving them (mode 0600) on first use. */
export function ensureLocalSecrets(home: string): LocalSecrets {
  const existing = readLocalSecrets(home);
  if (existing) return existing;
  const secrets: LocalSecrets = {
    apiToken: randomBytes(24).toString("base64url"),
    sidecarKey: randomBytes(24).toString("base64url"),
  };
  const file = secretsFile(home);
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  writeFileSync(file, `${JSON.stringify(secrets, null, 2)}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
  return secrets;
}

/** A client command's view of where the controller is and which token to use. */
export interface ClientTarget {
  readonly url: string;
  readonly token: string | undefined;
  /** Where the local run's token would be. */
  readonly secretsFile: string;
  /** Wrong settings, as sentences. */
  readonly problems: readonly string[];
}

/** Parses a client command's settings once: VOXOPS_URL (else the local run's), VOXOPS_API_TOKEN (else the local run's). */
export function clientTarget(env: Readonly<Record<string, string | undefined>>): ClientTarget {
  const parsed = parseSettings(cliClientSettings, env, knownSettingNames);
  const values: CliClientSettings = parsed.values;
  const home = localHome(values.VOXOPS_HOME);
  return {
    url: (values.VOXOPS_URL ?? `http://127.0.0.1:${values.PORT ?? 8787}`).replace(/\/$/, ""),
    token: values.VOXOPS_API_TOKEN ?? readLocalSecrets(home)?.apiToken,
    secretsFile: secretsFile(home),
    problems: parsed.problems.map((p) => p.sentence),
  };
}

/** What to do when a client command finds no token: the local run's file it looked for, and the settings that find another. */
export function noTokenAdvice(target: ClientTarget): string {
  return `no API token: ${target.secretsFile} does not exist. Set VOXOPS_API_TOKEN, or set VOXOPS_HOME to the directory the local run was started with (its VOXOPS_HOME), or run npm start here first.`;
}

/** Said after a refused token that came from the local run's file: the run may keep its state elsewhere. */
export const otherHomeAdvice =
  "If the local run was started with VOXOPS_HOME or VOXOPS_API_TOKEN, set the same in this shell.";
