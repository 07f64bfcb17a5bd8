/**
 * The `script-run` action: run a script voxops created once, now, through its own oneshot unit (the
 * same user and sandbox as its timer), and return its exit status and output from the journal.
 */

import { execArgv, tail } from "../adapters/exec.ts";
import type { Adapters } from "../adapters/index.ts";
import { readRegistry } from "../creation/created-registry.ts";
import { registryOf } from "../creation/staging.ts";
import { ActionError, type ActionHandler } from "../services/handler.ts";

/** Lines of the script's output returned. */
const OUTPUT_LINES = 60;

/** Creates the handler. */
export function createScriptRun(adapters: Adapters): ActionHandler<"script-run"> {
  return async (args, ctx) => {
    const name = String(args["name"]);
    const record = readRegistry(registryOf(adapters)).find((r) => r.name === name && r.kind === "script");
    if (!record)
      throw new ActionError(
        "unknown-script",
        `voxops created no script called ${name} on ${ctx.vm}; "list what voxops created" shows those there are`,
      );
    const started = ctx.now();
    const env = adapters.env;
    // A oneshot unit: start returns when the script has finished (or failed).
    const run = await execArgv("systemctl", ["start", "--", record.unit], {
      env,
      timeoutMs: Math.max(5_000, ctx.deadline - ctx.now() - 5_000),
      signal: ctx.signal,
    });
    const show = await execArgv(
      "systemctl",
      ["show", "-p", "InvocationID", "-p", "ExecMainStatus", "-p", "Result", "--", record.unit],
      { env },
    );
    const prop = (k: string) => new RegExp(`^${k}=(.*)$`, "m").exec(show.stdout)?.[1]?.trim() ?? "";
    const invocation = prop("InvocationID");
    const exitCode = Number(prop("ExecMainStatus") || (run.code === 0 ? 0 : 1));
    let output = "";
    if (/^[0-9a-f]{32}$/.test(invocation)) {
      const j = await execArgv(
        "journalctl",
        [`_SYSTEMD_INVOCATION_ID=${invocation}`, "-o", "cat", "--no-pager", "-n", String(OUTPUT_LINES * 2)],
        { env },
      );
      output = j.stdout;
    }
    const lines = output
      .split("\n")
      .filter((l) => l.trim() !== "")
      .slice(-OUTPUT_LINES);
    const result = {
      vm: ctx.vm,
      name,
      unit: record.unit,
      ok: run.code === 0 && exitCode === 0,
      exitCode,
      result: prop("Result"),
      output: lines,
      durationMs: ctx.now() - started,
    };
    if (!result.ok)
      throw new ActionError(
        "script-failed",
        `${args["lang"] === "ru" ? `Скрипт ${name} завершился с кодом ${exitCode}. Его вывод:` : `${name} exited with ${exitCode}. Its output:`}\n${lines.join("\n").slice(-3000) || tail(run.stderr, 4)}`,
        { details: result },
      );
    return result;
  };
}
