/**
 * `voxops mirror`: the Fly.io mirror, i.e. the Node host as the fencing lease's secondary. It serves
 * the same app; sidecars list it second in VOXOPS_CONTROLLERS. It fences only while a majority of
 * sidecars grant it the lease (their edge link has been down for a while), and on winning the lease
 * points the Telegram webhook at VOXOPS_PUBLIC_URL; the edge takes the webhook back when it wins again.
 */

import { parseCommandLine } from "../../protocol/command-line.ts";
import { knownSettingNames } from "../../protocol/settings/known-settings.ts";
import { nodeHostSettings } from "../../protocol/settings/node-host-settings.ts";
import { parseSettings } from "../../protocol/settings/parse-settings.ts";
import { createStderrLog } from "../../protocol/stderr-log.ts";
import { ConfigError, readConfig } from "../core/config.ts";
import { startNodeHost } from "../node/server.ts";
import { mirrorPlugins } from "../plugins.ts";

const commandLine = {
  name: "mirror",
  help: `usage: voxops mirror
  Runs the Fly.io mirror: the same app on Node as the fencing lease's secondary, on 0.0.0.0:$PORT
  (default 8080). It fences only while a majority of sidecars grant it the lease.

  Environment: VOXOPS_SIDECAR_KEYS (required), VOXOPS_API_TOKENS, VOXOPS_INVENTORY, TELEGRAM_*,
  VOXOPS_PUBLIC_URL, VOXOPS_DB (default /data/controller.db), VOXOPS_LISTEN_HOST, PORT.`,
  options: {},
} as const;

/** Runs the mirror until SIGINT/SIGTERM; returns the exit code. */
export async function main(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const line = parseCommandLine(commandLine, argv);
  if (!line.run) return line.exitCode;
  // The one parse of the mirror's environment; it is always the lease's secondary.
  const settings = parseSettings(
    nodeHostSettings,
    { ...env, VOXOPS_LEASE_ROLE: "secondary" },
    knownSettingNames,
  );
  const fatal = settings.problems.find((p) => p.features.includes("mirror"));
  if (fatal) {
    process.stderr.write(`voxops mirror: ${fatal.sentence}\n`);
    return 2;
  }
  const { values } = settings;
  let config: ReturnType<typeof readConfig>;
  try {
    config = readConfig(values);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`voxops mirror: ${error.message}\n`);
    return 2;
  }
  if (config.sidecarKeys.size === 0) {
    process.stderr.write("voxops mirror: VOXOPS_SIDECAR_KEYS is empty: no sidecar could connect\n");
    return 2;
  }
  const log = createStderrLog({
    name: "mirror",
    secrets: () => config.secrets,
    quiet: values.VOXOPS_QUIET,
  });
  const host = await startNodeHost({
    config,
    settings,
    port: values.PORT ?? 8080,
    hostname: values.VOXOPS_LISTEN_HOST ?? "0.0.0.0",
    dbPath: values.VOXOPS_DB ?? "/data/controller.db",
    log,
    plugins: mirrorPlugins(),
  });
  log("info", "mirror listening", { url: host.url, lease: "secondary" });
  await new Promise<void>((resolve) => {
    process.once("SIGINT", resolve);
    process.once("SIGTERM", resolve);
  });
  await host.close();
  return 0;
}
