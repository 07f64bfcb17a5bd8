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
/** How long a script that seems to have printed nothing is waited for in the journal. */
const JOURNAL_WAIT_MS = 3000;

/** Creates the handler. */
export function createScriptRun(adapters: Adapters): ActionHandler<"script-run"> {
  return async (args, ctx) => {
    const name = args.name;
    const record = readRegistry(registryOf(adapters)).find((r) => r.name === name && r.kind === "script");
    if (!record)
      throw new ActionError(
        "unknown-script",
        `voxops created no script called ${name} on ${ctx.vm}; "list what voxops created" shows those there are`,
      );
    const started = ctx.now();
    const env = adapters.env;
    // This run's lines are the unit's lines from now on. (Its InvocationID is not enough: systemd
    // unloads a finished oneshot nothing refers to, and `show` then gives none; seen on systemd 252.)
    const since = `--since=@${Math.floor(Date.now() / 1000)}`;
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
    const match = /^[0-9a-f]{32}$/.test(invocation)
      ? [`_SYSTEMD_INVOCATION_ID=${invocation}`]
      : [`_SYSTEMD_UNIT=${record.unit}`, since];
    // journald reads the script's stdout stream on its own time: the unit can be finished before its
    // last lines are in the journal (seen on a busy VM), so an empty answer is asked again for a while.
    const until = Date.now() + JOURNAL_WAIT_MS;
    for (;;) {
      const j = await execArgv(
        "journalctl",
        [...match, "-o", "cat", "--no-pager", "-n", String(OUTPUT_LINES * 2)],
        { env },
      );
      output = j.stdout;
      if (output.trim() !== "" || Date.now() >= until) break;
      await new Promise((r) => setTimeout(r, 250));
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
        `${args.lang === "ru" ? `Скрипт ${name} завершился с кодом ${exitCode}. Его вывод:` : `${name} exited with ${exitCode}. Its output:`}\n${lines.join("\n").slice(-3000) || tail(run.stderr, 4)}`,
        { details: result },
      );
    return result;
  };
}
