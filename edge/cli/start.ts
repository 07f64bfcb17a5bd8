/** `voxops start` (npm start): a local controller on 127.0.0.1:8787 and a sidecar for this machine. */
import { type ChildProcess, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { agentEnvNames } from "../../protocol/code-inventory.ts";
import { parseCommandLine } from "../../protocol/command-line.ts";
import { childEnvironment } from "../../protocol/settings/child-environment.ts";
import { knownSettingNames } from "../../protocol/settings/known-settings.ts";
import { nodeHostSettings } from "../../protocol/settings/node-host-settings.ts";
import { parseSettings } from "../../protocol/settings/parse-settings.ts";
import { createStderrLog } from "../../protocol/stderr-log.ts";
import { ConfigError, readConfig } from "../core/config.ts";
import { startNodeHost } from "../node/server.ts";
import { localRunPlugins } from "../plugins.ts";
import { ensureLocalSecrets, localHome, repoRoot, secretsFile } from "./local-state.ts";
import { type BannerRun, curlHint, statusHint } from "./start-banner.ts";

function defaultInventory(vm: string): string {
  return JSON.stringify({
    vms: { [vm]: { role: "this machine", aliases: ["local", "this machine", "эта машина", "локальная"] } },
  });
}

const commandLine = {
  name: "start",
  help: `usage: voxops start   (npm start)
  Runs a controller on http://127.0.0.1:$PORT (default 8787) and a sidecar for this machine, connected
  to it as the VM "local", until Ctrl-C. State and the generated API token live in .voxops/.

  Environment: PORT, VOXOPS_LOCAL_VM (this machine's VM name, default local), VOXOPS_INVENTORY_FILE
  (an inventory that names this VM), VOXOPS_API_TOKEN, VOXOPS_HOME (default .voxops),
  TELEGRAM_BOT_TOKEN with TELEGRAM_ADMINS (the bot by long polling), VOXOPS_QUIET=1.`,
  options: {},
} as const;

/** Why the controller did not start, in a sentence: the port, or the setting that is wrong. */
function startFailure(error: unknown, port: number): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === "EADDRINUSE")
    return `cannot listen on 127.0.0.1:${port}: the port is in use (is voxops already running? set PORT to use another port). Nothing was changed.`;
  if (code === "EACCES")
    return `cannot listen on 127.0.0.1:${port}: not allowed to use that port; set PORT to a port above 1024.`;
  return error instanceof Error ? error.message : String(error);
}

/** Starts the local run and keeps it up until SIGINT/SIGTERM. */
export async function main(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const line = parseCommandLine(commandLine, argv);
  if (!line.run) return line.exitCode;
  // The one parse of the local run's environment: the controller's settings and the local run's own.
  const settings = parseSettings(nodeHostSettings, env, knownSettingNames);
  const fatal = settings.problems.find((p) => p.features.includes("local-run"));
  if (fatal) {
    process.stderr.write(`voxops start: ${fatal.sentence}\n`);
    return 2;
  }
  const { values } = settings;
  const home = localHome(values.VOXOPS_HOME);
  const secrets = ensureLocalSecrets(home);
  const vm = values.VOXOPS_LOCAL_VM;
  const apiToken = values.VOXOPS_API_TOKEN ?? secrets.apiToken;
  const port = values.PORT ?? 8787;
  const inventoryFile = values.VOXOPS_INVENTORY_FILE;
  let config: ReturnType<typeof readConfig>;
  try {
    config = readConfig(
      {
        ...values,
        VOXOPS_API_TOKENS: [`${apiToken}:admin`, values.VOXOPS_API_TOKENS].filter(Boolean).join(","),
        VOXOPS_SIDECAR_KEYS: [`${vm}=${secrets.sidecarKey}`, values.VOXOPS_SIDECAR_KEYS]
          .filter(Boolean)
          .join(","),
      },
      inventoryFile ? readFileSync(inventoryFile, "utf8") : defaultInventory(vm),
    );
  } catch (error) {
    process.stderr.write(`voxops: ${error instanceof ConfigError ? error.message : String(error)}\n`);
    return 2;
  }
  const log = createStderrLog({
    name: "controller",
    secrets: () => config.secrets,
    quiet: values.VOXOPS_QUIET,
  });
  let host: Awaited<ReturnType<typeof startNodeHost>>;
  try {
    // The first command right after start waits (up to 10 s) for the local sidecar to connect.
    host = await startNodeHost({
      config,
      settings,
      port,
      dbPath: join(home, "controller.db"),
      log,
      connectWaitMs: 10_000,
      plugins: localRunPlugins(),
    });
  } catch (error) {
    process.stderr.write(`voxops start: ${startFailure(error, port)}\n`);
    return 1;
  }

  // The values of exactly the variables this VM's coding agents need (agentEnv), which the filter would keep back.
  const agentEnv: Record<string, string> = {};
  for (const name of agentEnvNames(config.inventory?.vms.find((v) => v.name === vm)?.services ?? [])) {
    const value = env[name];
    if (value) agentEnv[name] = value;
  }
  let child: ChildProcess | null = null;
  let stopping = false;
  let restarts = 0;
  const startChild = (): void => {
    child = spawn(
      process.execPath,
      [
        join(repoRoot, "bin", "voxops.js"),
        "sidecar",
        "--controller",
        host.url,
        "--vm",
        vm,
        "--state-dir",
        join(home, `sidecar-${vm}`),
      ],
      {
        stdio: ["ignore", "inherit", "inherit"],
        // Only what a sidecar needs: not the API tokens, the other VMs' keys, the bot or LLM secrets.
        env: childEnvironment(env, {
          ...agentEnv,
          VOXOPS_SIDECAR_KEY: secrets.sidecarKey,
          ...(inventoryFile ? { VOXOPS_INVENTORY_FILE: inventoryFile } : {}),
        }),
      },
    );
    child.on("exit", (code, signal) => {
      if (stopping) return;
      const wait = Math.min(30_000, 1000 * 2 ** Math.min(restarts++, 5));
      log("warn", "local sidecar exited; restarting", { code, signal, waitMs: wait });
      setTimeout(startChild, wait).unref();
    });
  };
  startChild();

  const run: BannerRun = {
    url: host.url,
    defaultUrl: port === 8787 && env.VOXOPS_URL === undefined,
    home,
    defaultHome: values.VOXOPS_HOME === undefined,
    tokenFromEnv: values.VOXOPS_API_TOKEN !== undefined,
  };
  process.stdout.write(
    [
      `voxops is running: controller ${host.url}, sidecar for this machine as "${vm}".`,
      values.VOXOPS_API_TOKEN
        ? "API token: VOXOPS_API_TOKEN from the environment."
        : `API token: kept in ${secretsFile(home)} (the CLI finds it there).`,
      `Try: ${statusHint(run)}`,
      `     ${curlHint(run)}`,
      "Stop with Ctrl-C.",
      "",
    ].join("\n"),
  );

  await new Promise<void>((resolve) => {
    process.once("SIGINT", resolve);
    process.once("SIGTERM", resolve);
  });
  stopping = true;
  const exited =
    child === null
      ? Promise.resolve()
      : new Promise<void>((resolve) => (child as ChildProcess).once("exit", () => resolve()));
  (child as ChildProcess | null)?.kill("SIGTERM");
  await Promise.race([exited, new Promise((r) => setTimeout(r, 3000))]);
  await host.close();
  return 0;
}
