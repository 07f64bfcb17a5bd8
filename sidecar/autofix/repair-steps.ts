/** The typed repair steps, each done once here with the adapters and the actions' own functions. */
import { statfs } from "node:fs/promises";
import { dirname } from "node:path";
import { execArgv, tail } from "../adapters/exec.ts";
import type { Adapters } from "../adapters/index.ts";
import { logDirsBytes, removeRotatedLogs } from "../adapters/rotated-logs.ts";
import type { ActionContext } from "../services/handler.ts";
import { describeVerification, restartAndVerify } from "../services/restart.ts";
import { restoreFile } from "../services/restore.ts";
import type { ServiceTarget } from "../services/targets.ts";
import type { Step } from "./rule-kit/plan.ts";
import { judgeStale, readUnitCommand, terminate } from "./rule-kit/stale-process.ts";

/** How one step went. */
export interface StepResult {
  readonly kind: Step["kind"];
  readonly ok: boolean;
  readonly detail: Record<string, unknown>;
  /** When the step ended (restart: when the unit was restarted, for the quiet window). */
  readonly at: number;
}

async function freeBytes(path: string): Promise<number | null> {
  try {
    const s = await statfs(path);
    return s.bavail * s.bsize;
  } catch {
    return null;
  }
}

/** Runs one step; failures are results, not exceptions (the caller stops at the first). */
export async function runStep(
  adapters: Adapters,
  ctx: ActionContext,
  target: ServiceTarget,
  step: Step,
  options: { installTimeoutMs: number },
): Promise<StepResult> {
  const done = (ok: boolean, detail: Record<string, unknown>, at = Date.now()): StepResult => ({
    kind: step.kind,
    ok,
    detail,
    at,
  });
  try {
    switch (step.kind) {
      case "install-deps": {
        const [file, ...args] = step.argv;
        if (!file) return done(false, { error: "empty command" });
        const run = {
          cwd: step.cwd,
          env: adapters.env,
          timeoutMs: options.installTimeoutMs,
          signal: ctx.signal,
        };
        // On an installed VM the install runs as the service's owner through the root helper.
        const r = adapters.privilege
          ? await adapters.privilege.ownerRun(target.spec.name, step.cwd, step.argv, run)
          : await execArgv(file, args, run);
        return done(r.code === 0, {
          command: step.argv.join(" "),
          cwd: step.cwd,
          exit: r.code,
          output: tail(`${r.stdout}\n${r.stderr}`, 8),
        });
      }
      case "stop-stale-process": {
        // On an installed VM the root helper judges the process again and stops it (another user's).
        if (adapters.privilege) {
          const r = await adapters.privilege.stopStale(target.spec.name, step.pid);
          return done(r.stopped, { pid: step.pid, name: step.name, port: step.port, signal: r.signal });
        }
        // Judge again right before stopping: the pid may have been reused since the plan was made.
        const status = (await adapters.systemd.status([target.unit]))[0] ?? null;
        const verdict = await judgeStale(step.pid, await readUnitCommand(status?.fragmentPath ?? null), {
          mainPid: status?.mainPid ?? null,
          workdir: target.spec.workdir ?? null,
          proc: adapters.proc,
        });
        if (!verdict.stale) return done(false, { pid: step.pid, error: `not stopped: ${verdict.reason}` });
        const r = await terminate(step.pid, { proc: adapters.proc, graceMs: 3000 });
        return done(r.stopped, { pid: step.pid, name: step.name, port: step.port, signal: r.signal });
      }
      case "restore-file": {
        const r = await restoreFile(adapters, ctx, step.path.replace(/^\/+/, ""));
        return done(true, { path: r.path, commit: r.commit, bytes: r.bytes });
      }
      case "reclaim-space": {
        const probe = step.logFiles[0] ? dirname(step.logFiles[0]) : adapters.stateDir;
        const before = { freeB: await freeBytes(probe), logDirsB: await logDirsBytes(step.logFiles) };
        let journal: string;
        try {
          journal = await adapters.journal.vacuum(step.journalMaxB);
        } catch (e) {
          journal = `journal not vacuumed: ${(e as Error).message}`;
        }
        // Installed, the service's log directory belongs to its user: the helper removes them as root.
        const removed = adapters.privilege
          ? await adapters.privilege.removeRotatedLogs(target.spec.name)
          : await removeRotatedLogs(step.logFiles);
        const after = { freeB: await freeBytes(probe), logDirsB: await logDirsBytes(step.logFiles) };
        return done(true, { before, after, removed: removed.removed, freedB: removed.freedB, journal });
      }
      case "restart": {
        const at = Date.now();
        const v = await restartAndVerify(adapters, target, ctx);
        return done(v.ok, { verified: describeVerification(v) }, at);
      }
    }
  } catch (e) {
    const err = e as { code?: string; message?: string };
    return done(false, { error: err.message ?? String(e), code: err.code ?? "failed" });
  }
}
