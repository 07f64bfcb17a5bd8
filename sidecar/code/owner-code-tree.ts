/**
 * The source tree of a service on an installed VM: every write, check, git step and the coding agent
 * go through the root helper (`sudo -n voxops-helper code-…`), which checks them against the
 * root-owned inventory and runs them as the service's owner. The sidecar's own user writes nothing there,
 * and reads there through the helper too when the tree's permissions keep it out.
 */

import * as z from "zod";
import { agentFileSchema, agentSkippedSchema } from "../../protocol/actions/code-agent.ts";
import type { ExecOptions, ExecResult } from "../adapters/exec.ts";
import { tail } from "../adapters/exec.ts";
import type { Privilege } from "../adapters/privilege.ts";
import { ActionError } from "../services/handler.ts";
import type { CheckStep, CodeTree, TreeReads } from "./code-tree-port.ts";

/** What the root helper answers about an agent run: the parts of `code-agent`'s output it produces. */
const helperAgentAnswer = z.object({
  files: z.array(agentFileSchema).default([]),
  skipped: z.array(agentSkippedSchema).default([]),
  output: z.string().default(""),
});

/** Headroom over a step's own deadline for sudo and the helper's start. */
const HELPER_SLACK_MS = 15_000;

/** One helper code operation for `service`; its JSON answer, or its refusal as an ActionError. */
async function helperCall(
  privilege: Privilege,
  service: string,
  op: string,
  args: readonly string[],
  options: ExecOptions = {},
): Promise<Record<string, unknown>> {
  const r = await privilege.code(op, service, args, { timeoutMs: 120_000, ...options });
  const line = r.stdout.trim().split("\n").at(-1) ?? "";
  let parsed: Record<string, unknown> | null = null;
  try {
    parsed = line.startsWith("{") ? (JSON.parse(line) as Record<string, unknown>) : null;
  } catch {
    parsed = null;
  }
  if (parsed?.["ok"] === true) return parsed;
  if (parsed?.["ok"] === false)
    throw new ActionError(String(parsed["code"] ?? "helper-failed"), String(parsed["message"] ?? ""), {
      ...(isRecord(parsed["details"]) ? { details: parsed["details"] } : {}),
    });
  throw new ActionError(
    "helper-failed",
    `the root helper did not do ${op} for ${service}: ${tail(r.stderr || r.stdout, 3).replace(/^voxops-helper: /, "")}`,
  );
}

/** The reads of `service`'s tree as its owner through `privilege` (`code-list`, `code-read`, `code-search`). */
export function createOwnerTreeReads(privilege: Privilege, service: string): TreeReads {
  const strings = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : []);
  return {
    async list(dir, depth) {
      const r = await helperCall(privilege, service, "code-list", [
        dir === undefined ? "." : String(dir),
        String(depth),
      ]);
      return {
        dir: String(r["dir"] ?? "."),
        entries: strings(r["entries"]),
        truncated: r["truncated"] === true,
      };
    },
    async read(path) {
      const r = await helperCall(privilege, service, "code-read", [String(path)]);
      return { rel: String(r["rel"] ?? path), bytes: Buffer.from(String(r["base64"] ?? ""), "base64") };
    },
    async search(text, maxHits) {
      const r = await helperCall(privilege, service, "code-search", [String(maxHits)], { input: text });
      const hits = (Array.isArray(r["hits"]) ? r["hits"] : []).filter(isRecord).map((h) => ({
        path: String(h["path"] ?? ""),
        line: Number(h["line"] ?? 0),
        text: String(h["text"] ?? ""),
      }));
      return { hits, filesSearched: Number(r["filesSearched"] ?? 0) };
    },
  };
}

/** The tree of `service` worked on as its owner through `privilege`. */
export function createOwnerCodeTree(privilege: Privilege, service: string): CodeTree {
  let owner = "the service's owner";
  const call = async (op: string, args: readonly string[], options: ExecOptions = {}) => {
    const parsed = await helperCall(privilege, service, op, args, options);
    if (typeof parsed["user"] === "string") owner = parsed["user"];
    return parsed;
  };
  const withBounds = (timeoutMs: number, signal: AbortSignal | undefined): ExecOptions => ({
    timeoutMs: timeoutMs + HELPER_SLACK_MS,
    ...(signal ? { signal } : {}),
  });
  return {
    get runsAs() {
      return owner;
    },
    async write(rel, content, mode) {
      await call("code-write", [rel, ...(mode === undefined ? [] : [(mode & 0o777).toString(8)])], {
        input: content,
      });
    },
    async remove(rel) {
      await call("code-remove", [rel]);
    },
    async check(step: CheckStep, bounds) {
      const which = step.kind === "declared" ? String(step.index) : step.rel;
      const r = await call(
        "code-check",
        [step.kind, which, String(Math.round(bounds.timeoutMs))],
        withBounds(bounds.timeoutMs, bounds.signal),
      );
      return { code: Number(r["code"]), output: String(r["output"] ?? "") };
    },
    async git(args): Promise<ExecResult> {
      const r = await call("code-git", args);
      const stdout = String(r["stdout"] ?? "");
      return {
        code: Number(r["code"]),
        signal: null,
        stdout,
        stdoutBytes: Buffer.from(stdout),
        stderr: String(r["stderr"] ?? ""),
      };
    },
    async commit(paths, message) {
      const r = await call("code-commit", paths, { input: message });
      return typeof r["commit"] === "string" ? r["commit"] : null;
    },
    async agent(request, bounds) {
      const r = await call("code-agent", [String(Math.round(bounds.timeoutMs))], {
        ...withBounds(bounds.timeoutMs, bounds.signal),
        input: request,
      });
      // The helper's answer is checked against the same parts as `code-agent`'s output schema.
      const parsed = helperAgentAnswer.safeParse(r);
      if (!parsed.success)
        throw new ActionError(
          "agent-failed",
          `the root helper's answer about the coding agent of ${service} is not in the expected form: ${parsed.error.issues[0]?.message ?? "unknown"}`,
        );
      return parsed.data;
    },
  };
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}
