/** Reading a service's source on its VM through the read-only typed actions (code-list, code-read, code-search). */
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
  const call = async (action: string, args: Record<string, unknown>) => {
    const o = await controller.dispatch({ vm, action, args: { service, ...args }, actor });
    if (!o.ok) {
      throw Object.assign(new Error(o.error?.message ?? `${action} failed`), {
        code: o.error?.code ?? "failed",
      });
    }
    return o.output as Record<string, unknown>;
  };
  const asFile = (out: Record<string, unknown>): SourceFile => ({
    path: String(out["path"]),
    text: String(out["text"] ?? ""),
    sha256: String(out["sha256"]),
    totalLines: Number(out["totalLines"] ?? 0),
    whole: out["whole"] === true,
  });
  return {
    async list(dir) {
      const out = await call("code-list", dir ? { dir } : {});
      return (out["entries"] as string[] | undefined) ?? [];
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
      return (out["hits"] as { path: string; line: number; text: string }[] | undefined) ?? [];
    },
  };
}
