/**
 * The environment a process gets when voxops starts it: the sidecar in the local run, and everything
 * the sidecar runs (systemctl, journalctl, git, build steps, config checks, repairs). Only what a
 * program needs to run passes: the base variables of a login (PATH, HOME, locale, time zone, proxies,
 * D-Bus and runtime directories, the SSH agent), the build tools' settings (npm_config_*, PIP_*) and
 * voxops's own VOXOPS_* settings, none whose name says it holds a secret or that a deployable
 * declares as one (protocol/settings/). API tokens, keys, the bot token, the webhook secret, the LLM
 * and cloud credentials and anything else stay behind.
 */
import { secretSettingNames } from "./known-settings.ts";

const declaredSecrets = new Set(secretSettingNames);

const base = new Set([
  "PATH",
  "HOME",
  "USER",
  "LOGNAME",
  "SHELL",
  "LANG",
  "LANGUAGE",
  "TZ",
  "TMPDIR",
  "TERM",
  "XDG_RUNTIME_DIR",
  "DBUS_SYSTEM_BUS_ADDRESS",
  "DBUS_SESSION_BUS_ADDRESS",
  "NODE_EXTRA_CA_CERTS",
  "SSL_CERT_FILE",
  "SSL_CERT_DIR",
  "HTTP_PROXY",
  "HTTPS_PROXY",
  "NO_PROXY",
  "http_proxy",
  "https_proxy",
  "no_proxy",
  "SSH_AUTH_SOCK",
  "GIT_SSH_COMMAND",
]);

/** Prefixes of build tools' own settings (npm, pip), which a build step or a repair may need. */
const toolPrefixes = ["LC_", "npm_config_", "PIP_"];

/** A name that holds a secret whatever its prefix. */
const secretName = /KEY|TOKEN|SECRET|PASSW|CREDENTIAL|PRIVATE|AUTH/i;

/** True when a variable passes to a process voxops starts. */
export function passesToChild(name: string): boolean {
  if (base.has(name)) return true;
  if (secretName.test(name) || declaredSecrets.has(name)) return false;
  return name.startsWith("VOXOPS_") || toolPrefixes.some((prefix) => name.startsWith(prefix));
}

/** The environment for a process voxops starts: `env` filtered, plus `extra` (e.g. the sidecar's own key). */
export function childEnvironment(
  env: Readonly<Record<string, string | undefined>>,
  extra: Readonly<Record<string, string>> = {},
): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(env))
    if (value !== undefined && passesToChild(name)) out[name] = value;
  return { ...out, ...extra };
}
