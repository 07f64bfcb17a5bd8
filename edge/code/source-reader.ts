/** Reading a service's source on its VM through the read-only typed actions (code-list, code-read, code-search). */
import { type ActionOutput, actionDefinitions } from "../../protocol/actions/catalog.ts";
import type { Actor } from "../core/actors.ts";
import type { Controller } from "../core/controller.ts";

/** A whole file as read: its text and the hash of its bytes. */
export interface SourceFile {
  readonly path: string;
  readonly text: string;
  readonly sha256: string;
  readonly totalLines: number;
  readonly whole: boolean;
}

/** Read access to one service's source root; every method throws an Error with the sidecar's reason. */
export interface SourceReader {
  list(dir?: string): Promise<string[]>;
  read(path: string, fromLine?: number, toLine?: number): Promise<SourceFile>;
  /** The whole file, or null when it does not exist. */
  readWhole(path: string): Promise<SourceFile | null>;
  search(text: string): Promise<{ path: string; line: number; text: string }[]>;
}

/** The reader over the controller's dispatch, acting as `actor` (audited like every action). */
export function createSourceReader(
  controller: Controller,
  vm: string,
  service: string,
  actor: Actor,
): SourceReader {
  /** Runs a read and checks its answer against the action's output schema (one schema per output). */
  const call = async <A extends "code-list" | "code-read" | "code-search">(
    action: A,
    args: Record<string, unknown>,
  ): Promise<ActionOutput<A>> => {
    const o = await controller.dispatch({ vm, action, args: { service, ...args }, actor });
    if (!o.ok) {
      throw Object.assign(new Error(o.error?.message ?? `${action} failed`), {
        code: o.error?.code ?? "failed",
      });
    }
    const parsed = actionDefinitions[action].output.safeParse(o.output);
    if (!parsed.success) {
      const version = controller.fleet().find((v) => v.vm === vm)?.sidecarVersion;
      throw Object.assign(
        new Error(
          `the sidecar on ${vm} answered ${action} in a form this controller does not understand${version ? ` (sidecar version ${version})` : ""}; update it to the controller's version`,
        ),
        { code: "unreadable-answer" },
      );
    }
    return parsed.data as ActionOutput<A>;
  };
  const asFile = (out: ActionOutput<"code-read">): SourceFile => ({
    path: out.path,
    text: out.text,
    sha256: out.sha256 ?? "",
    totalLines: out.totalLines,
    whole: out.whole,
  });
  return {
    async list(dir) {
      const out = await call("code-list", dir ? { dir } : {});
      return out.entries;
    },
    async read(path, fromLine, toLine) {
      return asFile(
        await call("code-read", {
          path,
          ...(fromLine ? { fromLine } : {}),
          ...(toLine ? { toLine } : {}),
        }),
      );
    },
    async readWhole(path) {
      try {
        return asFile(await call("code-read", { path, fromLine: 1, toLine: 1_000_000 }));
      } catch (e) {
        if ((e as { code?: string }).code === "not-found") return null;
        throw e;
      }
    },
    async search(text) {
      const out = await call("code-search", { text });
      return out.hits;
    },
  };
}
