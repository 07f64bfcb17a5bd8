/**
 * The built-in code engine: the configured LLM in a bounded tool loop. It may read the service's
 * source (everything read comes back as quoted data, never instructions) and then call
 * `propose_change` once; it can write nothing itself. Step budget and output caps bound the loop.
 */
import type { ChatProvider } from "../llm/chat.ts";
import { quotedDataRule } from "../llm/quote.ts";
import { runToolLoop } from "../llm/tool-loop.ts";
import type { CodeEngine, EngineRequest, EngineResult } from "./code-engine.ts";
import { codeToolArgs, codeToolSpecs, isCodeTool } from "./code-tools.ts";
import { applyEdits } from "./edits.ts";
import type { FileChange } from "./proposal.ts";

/** Settings of the built-in engine. */
export interface BuiltInEngineOptions {
  readonly provider: ChatProvider;
  /** Model calls per request (default 8). */
  readonly maxSteps?: number;
  /** Characters of one tool result given to the model (default 24 000). */
  readonly maxToolOutput?: number;
}

function systemPrompt(req: EngineRequest): string {
  return [
    `You are voxops's code engine. You change the source of the service "${req.service}" on ${req.vm}.`,
    "Read what you need with list_files, read_file and search_code, then call propose_change exactly once " +
      "with the smallest change that does what the operator asked. Prefer exact search/replace edits for " +
      "existing files; give whole contents for new files. Do not touch tests unless asked.",
    "You cannot run anything: the operator reviews the diff, and voxops applies it with checks and rollback.",
    quotedDataRule,
    `Write the summary in ${req.lang === "ru" ? "Russian" : "English"}, one or two sentences.`,
  ].join("\n");
}

/** Creates the engine. */
export function createBuiltInEngine(options: BuiltInEngineOptions): CodeEngine {
  const maxSteps = options.maxSteps ?? 8;
  const tools = codeToolSpecs();
  return {
    name: `built-in (${options.provider.name})`,
    async propose(req): Promise<EngineResult> {
      const end = await runToolLoop<EngineResult>({
        provider: options.provider,
        system: systemPrompt(req),
        prompt: req.request,
        tools,
        maxSteps,
        maxToolOutput: options.maxToolOutput ?? 24_000,
        signal: req.signal,
        onStep: (step) => req.onProgress?.(step === 1 ? "reading" : "thinking"),
        async handle(call, step) {
          if (!isCodeTool(call.name)) return { refused: `there is no tool "${call.name.slice(0, 64)}"` };
          const parsed = codeToolArgs[call.name].safeParse(call.args);
          if (!parsed.success) return { refused: parsed.error.issues[0]?.message ?? "invalid arguments" };
          if (call.name !== "propose_change")
            return {
              data: await runRead(req, call.name, call.args),
              source: `${call.name} ${req.service}@${req.vm}`,
            };
          req.onProgress?.("proposing");
          const args = codeToolArgs.propose_change.parse(call.args);
          const changes = await materialise(req, args.files);
          if (typeof changes === "string") return { refused: changes };
          return {
            stop: {
              ok: true,
              summary: args.summary,
              changes,
              steps: step,
              ...(args.endpoint ? { endpoint: args.endpoint } : {}),
              ...(args.name ? { name: args.name } : {}),
              ...(args.entry ? { entry: args.entry } : {}),
            },
          };
        },
      });
      switch (end.kind) {
        case "stopped":
          return end.value;
        case "failed":
          return { ok: false, failure: { kind: "llm", error: end.error } };
        case "answered":
          return { ok: false, failure: { kind: "no-proposal", said: end.text.trim().slice(0, 500) } };
        case "exhausted":
          return { ok: false, failure: { kind: "step-budget", steps: maxSteps } };
      }
    },
  };
}

async function runRead(req: EngineRequest, name: string, raw: unknown): Promise<string> {
  switch (name) {
    case "list_files": {
      const a = codeToolArgs.list_files.parse(raw);
      return (await req.reader.list(a.dir)).join("\n") || "(empty)";
    }
    case "read_file": {
      const a = codeToolArgs.read_file.parse(raw);
      const f = await req.reader.read(a.path, a.fromLine, a.toLine);
      return f.text;
    }
    default: {
      const a = codeToolArgs.search_code.parse(raw);
      const hits = await req.reader.search(a.text);
      return hits.map((h) => `${h.path}:${h.line}: ${h.text}`).join("\n") || "(no matches)";
    }
  }
}

/** One file of `propose_change` as the model gave it. */
interface ProposedFile {
  path: string;
  content?: string | undefined;
  edits?: { find: string; replace: string }[] | undefined;
  delete?: true | undefined;
  renameFrom?: string | undefined;
}

/** Turns the model's files (whole contents, edits, deletions, renames) into before/after pairs read fresh from the VM. */
async function materialise(
  req: EngineRequest,
  files: readonly ProposedFile[],
): Promise<FileChange[] | string> {
  const out: FileChange[] = [];
  for (const f of files) {
    const given = (f.content === undefined ? 0 : 1) + (f.edits === undefined ? 0 : 1);
    if (f.delete && (given > 0 || f.renameFrom !== undefined))
      return `${f.path}: a deleted file takes no content, edits or renameFrom`;
    if (!f.delete && f.renameFrom === undefined && given !== 1)
      return `${f.path}: give either content or edits, not both or neither`;
    if (f.renameFrom !== undefined && given > 1) return `${f.path}: give content or edits, not both`;
    const current = await req.reader.readWhole(f.path);
    if (current && !current.whole) return `${f.path} is too long to change in one piece`;
    if (f.delete) {
      if (!current) return `${f.path} does not exist, so it cannot be deleted`;
      out.push({ path: f.path, before: current.text, baseSha256: current.sha256, after: null });
      continue;
    }
    // A rename: the old file is deleted, and the new one starts from its text.
    let base = current;
    if (f.renameFrom !== undefined) {
      if (current) return `${f.path} already exists; a file can only be renamed to a new path`;
      const source = await req.reader.readWhole(f.renameFrom);
      if (!source) return `${f.renameFrom} does not exist, so it cannot be renamed`;
      if (!source.whole) return `${f.renameFrom} is too long to change in one piece`;
      out.push({ path: f.renameFrom, before: source.text, baseSha256: source.sha256, after: null });
      base = source;
    }
    let after: string;
    if (f.edits) {
      if (!base) return `${f.path} does not exist; give its whole content instead of edits`;
      const edited = applyEdits(base.text, f.edits);
      if (!edited.ok) return `${f.path}: ${edited.reason}`;
      after = edited.text;
    } else after = f.content ?? base?.text ?? "";
    out.push(
      f.renameFrom === undefined
        ? { path: f.path, before: current?.text ?? null, baseSha256: current?.sha256 ?? null, after }
        : { path: f.path, before: null, baseSha256: null, after, renamedFrom: f.renameFrom },
    );
  }
  return out;
}
