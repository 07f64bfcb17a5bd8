/**
 * Checking one file of a confirmed change before anything is written: inside the root (both sides of
 * a rename), not a secrets file or `.git`, not a symbolic link when deleted or moved, text within the
 * size limit, and still what it was when the change was proposed. The result is its snapshot.
 */
import { createHash } from "node:crypto";
import { lstat, readFile } from "node:fs/promises";
import { join } from "node:path";
import type { ChangedFile } from "../../protocol/code-actions.ts";
import { ActionError } from "../services/handler.ts";
import { looksBinary, type SourcePath, type SourceRoot } from "./source-root.ts";

/** A file of the change with what it held before (null: it did not exist) and what it will hold (null: deleted). */
export interface Snapshot {
  readonly file: SourcePath;
  readonly previous: Buffer | null;
  /** The previous file's mode, so a deleted file comes back as it was. */
  readonly mode: number | undefined;
  readonly next: string | null;
}

type Say = (ru: string, en: string) => string;

const sha256Hex = (bytes: Uint8Array): string => createHash("sha256").update(bytes).digest("hex");

/** Checks `f` (one of `all`) against the root and its limits; returns its snapshot or throws an ActionError. */
export async function checkChangedFile(
  root: SourceRoot,
  f: ChangedFile,
  all: readonly ChangedFile[],
  vm: string,
  say: Say,
): Promise<Snapshot> {
  const limits = root.spec;
  const file = await root.resolve(f.path, "write");
  if (all.filter((o) => o.path === f.path).length > 1)
    throw new ActionError(
      "forbidden-path",
      say(`${file.rel} назван в изменении дважды.`, `The change names ${file.rel} twice.`),
    );
  if (f.content === null || f.renamedFrom !== undefined) {
    // A deleted or moved file is removed by name: a link would remove the link, not what it shows.
    const link = await lstat(join(root.real, file.rel)).catch(() => null);
    if (f.content === null && (!link || !file.exists))
      throw new ActionError(
        "stale-change",
        say(
          `${file.rel} на ${vm} уже нет; попросите изменение заново.`,
          `${file.rel} no longer exists on ${vm}; ask for the change again.`,
        ),
      );
    if (link?.isSymbolicLink())
      throw new ActionError(
        "forbidden-path",
        say(
          `${file.rel} — символическая ссылка; voxops не удаляет и не переносит ссылки.`,
          `${file.rel} is a symbolic link; voxops does not delete or move links.`,
        ),
      );
    if (link && !link.isFile() && f.content === null)
      throw new ActionError(
        "forbidden-path",
        say(`${file.rel} — не обычный файл.`, `${file.rel} is not a regular file.`),
      );
  }
  if (f.renamedFrom !== undefined && !all.some((o) => o.path === f.renamedFrom && o.content === null))
    throw new ActionError(
      "forbidden-path",
      say(
        `${file.rel} переименован из ${f.renamedFrom}, но изменение не удаляет ${f.renamedFrom}.`,
        `${file.rel} is renamed from ${f.renamedFrom}, but the change does not remove ${f.renamedFrom}.`,
      ),
    );
  if (f.content !== null && Buffer.byteLength(f.content) > limits.maxFileBytes)
    throw new ActionError(
      "too-big",
      say(
        `${file.rel} превысил бы предел в ${limits.maxFileBytes} байт.`,
        `${file.rel} would be above the size limit of ${limits.maxFileBytes} bytes.`,
      ),
    );
  if (f.content !== null && looksBinary(Buffer.from(f.content)))
    throw new ActionError(
      "binary",
      say(`${file.rel} стал бы двоичным файлом.`, `${file.rel} would be binary.`),
    );
  const previous = file.exists ? await readFile(file.abs) : null;
  if ((previous === null ? null : sha256Hex(previous)) !== f.baseSha256)
    throw new ActionError(
      "stale-change",
      f.baseSha256 === null
        ? say(
            `${file.rel} уже существует на ${vm}, а изменение создаёт его заново; попросите изменение заново.`,
            `${file.rel} already exists on ${vm}, and the change would create it; ask for the change again.`,
          )
        : say(
            `${file.rel} на ${vm} изменился после того, как изменение было предложено; попросите его заново.`,
            `${file.rel} changed on ${vm} after the change was proposed; ask for the change again.`,
          ),
    );
  const mode = file.exists ? (await lstat(file.abs)).mode & 0o7777 : undefined;
  return { file, previous, mode, next: f.content };
}
