/**
 * The sidecar's half of creating: write the proposed files into a private staging directory under
 * its state, run the built-in syntax checks there (`node --check`, Python's compile, `bash -n`), and
 * hand the directory to the installer. Nothing outside the staging directory is written here.
 */
import { mkdir, rm, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { execArgv } from "../adapters/exec.ts";
import type { Adapters } from "../adapters/index.ts";
import type { CheckResult } from "../code/apply-pipeline.ts";
import { syntaxCheckFor } from "../code/syntax-checks.ts";
import type { ActionContext } from "../services/handler.ts";
import { registryPathFor } from "./created-registry.ts";

/** The registry this sidecar reads: VOXOPS_CREATED_FILE (set by the sidecar's start), else its state directory. */
export function registryOf(adapters: Adapters): string {
  return adapters.env["VOXOPS_CREATED_FILE"] ?? registryPathFor(undefined, adapters.stateDir);
}

/** A staging directory with the files written into it. */
export interface Staged {
  readonly dir: string;
  /** The checks' results; the first failure ends them. */
  readonly checks: CheckResult[];
  remove(): Promise<void>;
}

/** Writes `files` under a new staging directory and runs the syntax check of each. */
export async function stage(
  adapters: Adapters,
  name: string,
  files: readonly { path: string; content: string }[],
  ctx: ActionContext,
): Promise<Staged> {
  const dir = join(adapters.stateDir, "staging", `${name}-${ctx.now()}`);
  await mkdir(dir, { recursive: true, mode: 0o755 });
  for (const f of files) {
    await mkdir(dirname(join(dir, f.path)), { recursive: true, mode: 0o755 });
    await writeFile(join(dir, f.path), f.content, { mode: 0o644 });
  }
  const checks: CheckResult[] = [];
  for (const f of files) {
    const check = syntaxCheckFor(join(dir, f.path));
    if (!check) continue;
    const [bin = "false", ...args] = check.argv;
    const label = `${bin === "python3" ? "py_compile" : bin === "bash" ? "bash -n" : "node --check"} ${f.path}`;
    const t0 = Date.now();
    const r = await execArgv(bin, args, {
      cwd: dir,
      env: adapters.env,
      timeoutMs: 60_000,
      signal: ctx.signal,
    }).catch((e: Error) => ({ code: 127, stdout: "", stderr: e.message }));
    const ok = r.code === 0;
    checks.push({
      name: label,
      ok,
      ms: Date.now() - t0,
      ...(ok ? {} : { output: `${r.stdout}\n${r.stderr}`.replaceAll(dir, ".").trim().slice(-2500) }),
    });
    if (!ok) break;
  }
  return { dir, checks, remove: () => rm(dir, { recursive: true, force: true }) };
}
