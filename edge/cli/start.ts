/** `voxops start` (npm start): a local controller on 127.0.0.1:8787 and a sidecar for this machine. */
import { type ChildProcess, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { childEnvironment } from "../../sidecar/child-environment.ts";
import { ConfigError, readConfig } from "../core/config.ts";
import { createStderrLog } from "../node/log.ts";
import { startNodeHost } from "../node/server.ts";
import { ensureLocalSecrets, localHome, repoRoot, secretsFile } from "./local-state.ts";

function defaultInventory(vm: string): string {
  return JSON.stringify({
    vms: { [vm]: { role: "this machine", aliases: ["local", "this machine", "эта машина", "локальная"] } },
  });
}

/** Starts the local run and keeps it up until SIGINT/SIGTERM. */
export async function main(_argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const home = localHome(env);
  const secrets = ensureLocalSecrets(env);
  const vm = env.VOXOPS_LOCAL_VM ?? "local";
  const apiToken = env.VOXOPS_API_TOKEN ?? secrets.apiToken;
  const port = Number(env.PORT ?? 8787);
  const inventoryFile = env.VOXOPS_INVENTORY_FILE;
  let config: ReturnType<typeof readConfig>;
  try {
    config = readConfig(
      {
        ...env,
        VOXOPS_API_TOKENS: [`${apiToken}:admin`, env.VOXOPS_API_TOKENS].filter(Boolean).join(","),
        VOXOPS_SIDECAR_KEYS: [`${vm}=${secrets.sidecarKey}`, env.VOXOPS_SIDECAR_KEYS]
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
    quiet: env.VOXOPS_QUIET === "1",
  });
  let host: Awaited<ReturnType<typeof startNodeHost>>;
  try {
    host = await startNodeHost({ config, env, port, dbPath: join(home, "controller.db"), log });
  } catch (error) {
    const busy = (error as NodeJS.ErrnoException).code === "EADDRINUSE";
    process.stderr.write(
      `voxops: cannot listen on 127.0.0.1:${port}${busy ? " (in use; set PORT to another port)" : `: ${String(error)}`}\n`,
    );
    return 1;
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

  process.stdout.write(
    [
      `voxops is running: controller ${host.url}, sidecar for this machine as "${vm}".`,
      env.VOXOPS_API_TOKEN
        ? "API token: VOXOPS_API_TOKEN from the environment."
        : `API token: kept in ${secretsFile(env)} (the CLI finds it there).`,
      "Try: npx voxops status",
      `     curl -H "Authorization: Bearer $(node -p 'require("${secretsFile(env)}").apiToken')" ${host.url}/agent/health`,
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
