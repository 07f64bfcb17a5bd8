/** Validation of a config candidate: a parse by format, then the inventory's check command if it has one. */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import type { ConfigFileSpec } from "../../protocol/inventory.ts";
import { execArgv, tail } from "../adapters/exec.ts";
import { checkYaml } from "../adapters/yaml-check.ts";

/** Why a candidate was refused, or null when it passed. */
export type ValidationProblem = string | null;

/** Checks the text by the file's format (json, yaml, nginx braces); text files always pass. */
export async function checkFormat(
  format: ConfigFileSpec["format"],
  content: string,
): Promise<ValidationProblem> {
  if (format === "json") {
    try {
      JSON.parse(content);
      return null;
    } catch (e) {
      return `not valid JSON: ${(e as Error).message}`;
    }
  }
  if (format === "yaml") {
    const p = await checkYaml(content);
    return p ? `not valid YAML: line ${p.line}: ${p.message}` : null;
  }
  if (format === "nginx") return checkBraces(content);
  return null;
}

function checkBraces(content: string): ValidationProblem {
  let depth = 0;
  let line = 1;
  let quote: string | null = null;
  let comment = false;
  for (const c of content) {
    if (c === "\n") {
      line++;
      comment = false;
    } else if (comment) continue;
    else if (quote) {
      if (c === quote) quote = null;
    } else if (c === "#") comment = true;
    else if (c === '"' || c === "'") quote = c;
    else if (c === "{") depth++;
    else if (c === "}" && --depth < 0) return `unexpected "}" on line ${line}`;
  }
  return depth > 0 ? `${depth} unclosed "{"` : null;
}

/** True when the check command looks at a candidate copy ("{file}") rather than the installed file. */
export function checksCandidate(spec: ConfigFileSpec): boolean {
  return spec.check?.some((a) => a.includes("{file}")) ?? false;
}

/** Runs the inventory's check argv with "{file}" replaced by `file`; the problem is its output's tail. */
export async function runCheck(
  argv: readonly string[],
  file: string,
  options: { timeoutMs: number; env: NodeJS.ProcessEnv; signal?: AbortSignal },
): Promise<ValidationProblem> {
  const [bin, ...rest] = argv.map((a) => a.replaceAll("{file}", file));
  if (!bin) return "the check command is empty";
  try {
    const r = await execArgv(bin, rest, {
      timeoutMs: options.timeoutMs,
      env: options.env,
      ...(options.signal ? { signal: options.signal } : {}),
    });
    return r.code === 0
      ? null
      : `${basename(bin)} refused it (exit ${r.code}): ${tail(`${r.stderr}\n${r.stdout}`, 6)}`;
  } catch (e) {
    return `the check command could not run: ${(e as Error).message}`;
  }
}

/** Writes `content` to a temporary file named like `target`, runs `fn` on it, and removes it. */
export async function withCandidate<T>(
  target: string,
  content: string,
  fn: (file: string) => Promise<T>,
): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), "voxops-candidate-"));
  try {
    const file = join(dir, basename(target));
    await writeFile(file, content, { mode: 0o600 });
    return await fn(file);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
