/** Files the sidecar changes: atomic replacement that keeps the previous version in the state directory. */
import { copyFile, mkdir, readFile, rm } from "node:fs/promises";
import { dirname, join } from "node:path";
import { AdapterError } from "./adapter-error.ts";
import { writeFileAtomic } from "./atomic-write.ts";
import type { Privilege } from "./privilege.ts";

/** Reading and replacing files. */
export interface Files {
  /** The file's text, or null when it does not exist. */
  read(path: string): Promise<string | null>;
  /** Replaces `path` atomically; the old content (if any) is kept at `previousPath(path)`. */
  replace(path: string, content: string | Buffer, mode?: number): Promise<{ previous: string | null }>;
  /** Removes `path` (a file a change created and a rollback takes back); no error when it is gone. */
  remove(path: string): Promise<void>;
  /** Where the previous version of `path` is kept. */
  previousPath(path: string): string;
}

/** Writes `content` to `path` atomically (`writeFileAtomic`), creating its directory; a failure is an AdapterError. */
export async function writeAtomic(path: string, content: string | Buffer, mode?: number): Promise<void> {
  try {
    await mkdir(dirname(path), { recursive: true });
    await writeFileAtomic(path, content, mode === undefined ? {} : { mode });
  } catch (e) {
    throw new AdapterError("write-failed", `cannot write ${path}: ${(e as Error).message}`, { cause: e });
  }
}

/** Creates the files adapter; previous versions go under `stateDir`/previous; writes go through `privilege` when given. */
export function createFiles(stateDir: string, privilege?: Privilege): Files {
  const previousPath = (path: string): string => join(stateDir, "previous", path.replace(/^\/+/, ""));
  return {
    previousPath,
    async read(path) {
      try {
        return await readFile(path, "utf8");
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === "ENOENT") return null;
        throw new AdapterError("read-failed", `cannot read ${path}: ${(e as Error).message}`, { cause: e });
      }
    },
    async replace(path, content, mode) {
      const previous = await this.read(path);
      if (previous !== null) {
        await mkdir(dirname(previousPath(path)), { recursive: true });
        await copyFile(path, previousPath(path));
      }
      if (privilege) await privilege.putFile(path, content, mode);
      else await writeAtomic(path, content, mode);
      return { previous };
    },
    async remove(path) {
      if (privilege) await privilege.removeFile(path);
      else await rm(path, { force: true });
    },
  };
}
