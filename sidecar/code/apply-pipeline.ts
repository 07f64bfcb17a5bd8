/**
 * The apply pipeline of a confirmed code change: snapshot, write, syntax checks and the service's
 * own checks, restart, verify (active, health, the new endpoint, no new error lines), commit and
 * back up on success; on any failure restore the snapshot, restart and verify the old version.
 */
import { createHash } from "node:crypto";
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { CheckResult } from "../../protocol/actions/change-outputs.ts";
import type { CodeChangeOutput } from "../../protocol/actions/code-change-output.ts";
import type { ChangedFile } from "../../protocol/code-actions.ts";
import type { Adapters } from "../adapters/index.ts";
import { runBackupQuietly } from "../services/backup.ts";
import { type ActionContext, ActionError } from "../services/handler.ts";
import { describeVerification, lastLines, restartAndVerify } from "../services/restart.ts";
import type { ServiceTarget } from "../services/targets.ts";
import { checkChangedFile, type Snapshot } from "./change-files.ts";
import { type CheckStep, type CodeTree, codeTreeFor } from "./code-tree.ts";
import { openSourceRoot } from "./source-root.ts";
import { createStepLog } from "./step-log.ts";
import { syntaxCheckFor } from "./syntax-checks.ts";

/** What to apply: the files of the confirmed change and why. */
export interface ChangeRequest {
  readonly request: string;
  readonly files: readonly ChangedFile[];
  readonly diffSha256: string;
  readonly endpoint?: string | undefined;
  /** The operator's language for failure messages. */
  readonly lang: "ru" | "en";
}

/** One check's result as the operator sees it (the protocol's schema). */
export type { CheckResult };

const busy = new Set<string>();

/** The hash the proposal recorded for a file's bytes. */
export const sha256Hex = (bytes: Uint8Array | string): string =>
  createHash("sha256").update(bytes).digest("hex");

/** Lines that count as errors in the quiet window after a restart. */
const ERROR_LINE = /\b(error|exception|traceback|fatal|panic)\b/i;

/** Runs the whole pipeline for one service; resolves with the report on success, throws an ActionError otherwise. */
export async function applyChange(
  adapters: Adapters,
  target: ServiceTarget,
  change: ChangeRequest,
  ctx: ActionContext,
): Promise<CodeChangeOutput> {
  const key = `${ctx.vm}/${target.spec.name}`;
  const say = (ru: string, en: string): string => (change.lang === "ru" ? ru : en);
  if (busy.has(key))
    throw new ActionError(
      "change-in-progress",
      say(
        `Другое изменение кода ${target.spec.name} сейчас применяется; попробуйте, когда оно закончится.`,
        `Another code change to ${target.spec.name} is being applied right now; try again when it has finished.`,
      ),
      { retryable: true },
    );
  busy.add(key);
  try {
    return await run(adapters, target, change, ctx);
  } finally {
    busy.delete(key);
  }
}

async function run(
  adapters: Adapters,
  target: ServiceTarget,
  change: ChangeRequest,
  ctx: ActionContext,
): Promise<CodeChangeOutput> {
  const name = target.spec.name;
  const say = (ru: string, en: string): string => (change.lang === "ru" ? ru : en);
  const root = await openSourceRoot(name, target.spec.code);
  const limits = root.spec;
  if (change.files.length > limits.maxFiles)
    throw new ActionError(
      "too-big",
      say(
        `Изменение затрагивает ${change.files.length} файлов; для ${name} разрешено ${limits.maxFiles}.`,
        `The change touches ${change.files.length} files; ${name} allows ${limits.maxFiles}.`,
      ),
    );
  // Check every file before anything is written: inside the root, text, within size, unchanged since proposed.
  const log = createStepLog(ctx.progress, () => ctx.now());
  log.start("checking-files");
  const snapshots: Snapshot[] = [];
  for (const f of change.files) snapshots.push(await checkChangedFile(root, f, change.files, ctx.vm, say));
  const started = ctx.now();
  // Writes, checks and the commit run as the service's owner on an installed VM (through the root helper).
  const tree = codeTreeFor(adapters, root, name);
  log.start("snapshot");
  const snapshotDir = await keepSnapshot(adapters, name, snapshots, started);
  const paths = snapshots.map((s) => s.file.rel);
  const base = {
    vm: ctx.vm,
    service: name,
    files: paths,
    deleted: change.files
      .filter((f) => f.content === null && !change.files.some((n) => n.renamedFrom === f.path))
      .map((f) => f.path),
    renamed: change.files.flatMap((f) => (f.renamedFrom ? [{ from: f.renamedFrom, to: f.path }] : [])),
    diffSha256: change.diffSha256,
    snapshot: snapshotDir,
  };

  log.start("writing");
  // Deletions first, so a rename's new side never meets its old one.
  try {
    for (const s of snapshots) if (s.next === null) await tree.remove(s.file.rel);
    for (const s of snapshots) if (s.next !== null) await tree.write(s.file.rel, s.next, s.mode);
  } catch (e) {
    // A write the owner may not make leaves nothing half-written behind.
    await restore(tree, snapshots).catch(() => undefined);
    throw e;
  }
  log.start("checks");
  const checks = await runChecks(adapters, tree, snapshots, limits.checks, ctx);
  const failedCheck = checks.find((c) => !c.ok);
  if (failedCheck) {
    log.start("rolling-back");
    await restore(tree, snapshots);
    log.end("failed");
    throw new ActionError(
      "checks-failed",
      `${say(
        `Изменение ${name} не применено: проверка ${failedCheck.name} не прошла. Ничего не перезапускалось, файлы остались прежними.\nЕё вывод:`,
        `The change to ${name} was not applied: ${failedCheck.name} failed. Nothing was restarted; the files are as they were.\nIts output:`,
      )}\n${(failedCheck.output ?? "").slice(-2500)}`,
      {
        details: {
          ...base,
          stage: "checks",
          checks,
          failedOutput: failedCheck.output ?? "",
          rolledBack: true,
          steps: log.steps,
        },
      },
    );
  }

  log.start("restarting");
  const restartedAt = ctx.now();
  const verified = await restartAndVerify(adapters, target, ctx);
  let problem = verified.ok ? null : (verified.reason ?? "the service did not come up");
  log.start("verifying");
  const endpoint = problem === null ? await checkEndpoint(target, change.endpoint) : null;
  if (endpoint && !endpoint.ok)
    problem = `the new endpoint ${change.endpoint} answered ${endpoint.status ?? endpoint.error}`;
  const newErrors = problem === null ? await errorLinesSince(adapters, target.unit, restartedAt) : [];
  if (newErrors.length > 0)
    problem = say(
      `в журнале новые строки с ошибками: ${newErrors[0]}`,
      `new error lines in the journal: ${newErrors[0]}`,
    );
  if (problem !== null) {
    const logs = await lastLines(adapters, target.unit);
    log.start("rolling-back");
    await restore(tree, snapshots);
    const after = await restartAndVerify(adapters, target, ctx);
    log.end("rolled-back");
    throw new ActionError(
      "change-rolled-back",
      `${say(
        `Изменение ${name} откачено: ${problem}. ${after.ok ? "Прежняя версия снова работает и здорова." : `Прежняя версия тоже нездорова: ${after.reason}.`}\nПоследние строки журнала сервиса после изменения:`,
        `The change to ${name} was rolled back: ${problem}. ${after.ok ? "The previous version is running and healthy again." : `The previous version is not healthy either: ${after.reason}.`}\nThe service's last journal lines after the change:`,
      )}\n${logs.slice(-8).join("\n").slice(-2000)}`,
      {
        details: {
          ...base,
          stage: "verify",
          checks,
          failed: describeVerification(verified),
          logs,
          rolledBack: true,
          afterRollback: describeVerification(after),
          steps: log.steps,
        },
      },
    );
  }

  log.start("committing");
  const commit = await tree.commit(paths, change.request);
  log.start("backing-up");
  const backup = await runBackupQuietly(adapters, ctx, `code change to ${name}: ${change.request}`);
  return {
    ...base,
    applied: true as const,
    checks,
    ranAs: tree.runsAs,
    verified: describeVerification(verified),
    endpoint: endpoint && change.endpoint ? { path: change.endpoint, status: endpoint.status } : null,
    commit,
    backup,
    durationMs: ctx.now() - started,
    steps: log.end("done"),
  };
}

/** Keeps the previous bytes of every file under the state directory, so a crash mid-change can be undone by hand. */
async function keepSnapshot(adapters: Adapters, service: string, snaps: readonly Snapshot[], at: number) {
  const dir = join(adapters.stateDir, "code-snapshots", service, String(at));
  await mkdir(dir, { recursive: true });
  const manifest = snaps.map((s, i) => ({ path: s.file.abs, existed: s.previous !== null, copy: `${i}` }));
  for (const [i, s] of snaps.entries()) if (s.previous) await writeFile(join(dir, `${i}`), s.previous);
  await writeFile(join(dir, "manifest.json"), JSON.stringify(manifest, null, 2));
  return dir;
}

async function restore(tree: CodeTree, snaps: readonly Snapshot[]): Promise<void> {
  for (const s of snaps) if (s.previous === null) await tree.remove(s.file.rel);
  for (const s of snaps) if (s.previous !== null) await tree.write(s.file.rel, s.previous, s.mode);
}

async function runChecks(
  adapters: Adapters,
  tree: CodeTree,
  snaps: readonly Snapshot[],
  declared: readonly (readonly string[])[],
  ctx: ActionContext,
): Promise<CheckResult[]> {
  const steps: { name: string; step: CheckStep }[] = [
    ...snaps.flatMap((s) => {
      const c = s.next === null ? null : syntaxCheckFor(s.file.abs);
      return c
        ? [
            {
              name: `${c.argv[0] === "python3" ? "py_compile" : c.argv[0] === "bash" ? "bash -n" : "node --check"} ${s.file.rel}`,
              step: { kind: "syntax", rel: s.file.rel } as const,
            },
          ]
        : [];
    }),
    ...declared.map((argv, index) => ({
      name: argv.join(" ").slice(0, 120),
      step: { kind: "declared", index } as const,
    })),
  ];
  const results: CheckResult[] = [];
  for (const { name, step } of steps) {
    const t0 = Date.now();
    const timeoutMs = Math.max(1000, Math.min(adapters.timing.buildTimeoutMs, ctx.deadline - ctx.now()));
    try {
      const r = await tree.check(step, { timeoutMs, signal: ctx.signal });
      const ok = r.code === 0;
      results.push({
        name,
        ok,
        ms: Date.now() - t0,
        ...(ok ? {} : { output: r.output.slice(-2500) }),
      });
    } catch (e) {
      results.push({ name, ok: false, ms: Date.now() - t0, output: (e as Error).message });
    }
    if (!results.at(-1)?.ok) break;
  }
  return results;
}

/** GETs the new endpoint on the health URL's origin; null when there is nothing to check. */
async function checkEndpoint(target: ServiceTarget, endpoint: string | undefined) {
  if (!endpoint || !target.spec.health) return null;
  const url = new URL(endpoint, target.spec.health);
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(5000) });
    await res.arrayBuffer();
    return { ok: res.status >= 200 && res.status < 300, status: res.status, error: null };
  } catch (e) {
    return { ok: false, status: null, error: `no answer (${(e as Error).message})` };
  }
}

/** Error lines the unit wrote since `sinceMs`, after a short quiet window. */
async function errorLinesSince(adapters: Adapters, unit: string, sinceMs: number): Promise<string[]> {
  await new Promise((r) => setTimeout(r, Math.min(2000, adapters.timing.stableMs)));
  try {
    const entries = await adapters.journal.entries({ units: [unit], sinceMs, lines: 200 });
    return entries
      .filter((e) => e.priority <= 3 || ERROR_LINE.test(e.message))
      .filter((e) => e.identifier !== "systemd")
      .map((e) => e.message.slice(0, 300));
  } catch {
    return [];
  }
}
