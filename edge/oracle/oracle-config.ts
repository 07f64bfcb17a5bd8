/** Oracle Cloud API settings read from the controller's typed settings; the private key stays a Secret. */
import type { EdgeSettings } from "../../protocol/settings/edge-settings.ts";
import { createSecret, type Secret } from "./secret.ts";

/** What the signer and the instance client need. */
export interface OracleConfig {
  readonly tenancy: string;
  readonly user: string;
  readonly fingerprint: string;
  readonly privateKey: Secret;
  /** Default region ("eu-frankfurt-1"); a VM's inventory `oci.region` overrides it; one of them is needed. */
  readonly region?: string;
  /** Base URL that replaces `https://iaas.{region}.oraclecloud.com` (a stand-in in tests). */
  readonly endpoint?: string;
}

export type OracleConfigResult = { ok: true; config: OracleConfig } | { ok: false; errors: string[] };

/** The settings the config is read from. */
export type OracleSettings = Partial<Pick<EdgeSettings, (typeof oracleEnvNames)[number]>>;

/** The env names the config is read from. */
export const oracleEnvNames = [
  "OCI_TENANCY",
  "OCI_USER",
  "OCI_FINGERPRINT",
  "OCI_PRIVATE_KEY",
  "OCI_REGION",
  "OCI_ENDPOINT",
] as const;

const checks: Record<string, { pattern: RegExp; says: string }> = {
  OCI_TENANCY: { pattern: /^ocid1\.tenancy\.[a-z0-9._-]+$/, says: "a tenancy OCID (ocid1.tenancy.…)" },
  OCI_USER: { pattern: /^ocid1\.user\.[a-z0-9._-]+$/, says: "a user OCID (ocid1.user.…)" },
  OCI_FINGERPRINT: {
    pattern: /^([0-9a-f]{2}:){15}[0-9a-f]{2}$/,
    says: "the key fingerprint, 16 hex pairs joined by ':'",
  },
  OCI_REGION: { pattern: /^[a-z0-9-]+$/, says: "a region id such as eu-frankfurt-1" },
};

function endpointProblem(endpoint: string): string | undefined {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    return "OCI_ENDPOINT: not a URL";
  }
  if (url.protocol === "https:") return undefined;
  if (url.protocol === "http:" && (url.hostname === "127.0.0.1" || url.hostname === "localhost"))
    return undefined;
  return "OCI_ENDPOINT: must be https, or http on 127.0.0.1 for a stand-in";
}

/** Reads and validates the config; errors name the variable and never echo a secret's value. */
export function readOracleConfig(env: OracleSettings): OracleConfigResult {
  const errors: string[] = [];
  const value = (name: (typeof oracleEnvNames)[number]): string | undefined => {
    const v = env[name]?.trim();
    return v === undefined || v === "" ? undefined : v;
  };
  for (const name of ["OCI_TENANCY", "OCI_USER", "OCI_FINGERPRINT", "OCI_PRIVATE_KEY"] as const) {
    if (value(name) === undefined) errors.push(`${name}: missing`);
  }
  for (const [name, check] of Object.entries(checks)) {
    const v = value(name as (typeof oracleEnvNames)[number]);
    if (v !== undefined && !check.pattern.test(v)) errors.push(`${name}: expected ${check.says}`);
  }
  const key = value("OCI_PRIVATE_KEY");
  if (key !== undefined && !key.includes("PRIVATE KEY-----"))
    errors.push("OCI_PRIVATE_KEY: expected a PEM private key (-----BEGIN PRIVATE KEY-----)");
  const endpoint = value("OCI_ENDPOINT");
  const problem = endpoint === undefined ? undefined : endpointProblem(endpoint);
  if (problem) errors.push(problem);
  const region = value("OCI_REGION");
  if (errors.length > 0) return { ok: false, errors };
  const config: OracleConfig = {
    tenancy: value("OCI_TENANCY")!,
    user: value("OCI_USER")!,
    fingerprint: value("OCI_FINGERPRINT")!,
    privateKey: createSecret(key!),
    ...(region === undefined ? {} : { region }),
    ...(endpoint === undefined ? {} : { endpoint: endpoint.replace(/\/+$/, "") }),
  };
  return { ok: true, config };
}
