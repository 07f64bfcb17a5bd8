/** Files the sidecar changes: atomic replacement that keeps the previous version in the state directory. */
import { randomBytes } from "node:crypto";
import { chmod, chown, copyFile, mkdir, open, readFile, rename, rm, stat } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { AdapterError } from "./adapter-error.ts";
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

/** Writes `content` to `path` through a temporary file in the same directory and a rename. */
export async function writeAtomic(path: string, content: string | Buffer, mode?: number): Promise<void> {
  const dir = dirname(path);
  await mkdir(dir, { recursive: true });
  const tmp = join(dir, `.${basename(path)}.voxops-${randomBytes(4).toString("hex")}.tmp`);
  const fh = await open(tmp, "w", mode ?? 0o644);
  try {
    await fh.writeFile(content);
    await fh.sync();
  } finally {
    await fh.close();
  }
  try {
    const old = await stat(path).catch(() => null);
    if (old) {
      await chmod(tmp, old.mode & 0o7777);
      await chown(tmp, old.uid, old.gid).catch(() => undefined);
    }
    await rename(tmp, path);
  } catch (e) {
    await rm(tmp, { force: true });
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
