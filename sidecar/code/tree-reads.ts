/**
 * The reads the code actions make in a service's source tree (`code-list`, `code-read`,
 * `code-search`): done by the sidecar's own user, or, on an installed VM where that user may not
 * read the tree, by the root helper as the service's owner (`owner-code-tree.ts`), with the same
 * confinement (no `..`, no symlink out, no `.git`, secrets files never returned).
 */
import type { Privilege } from "../adapters/privilege.ts";
import { ActionError } from "../services/handler.ts";
import type { TreeReads } from "./code-tree-port.ts";
import { listConfined, readConfinedText, searchConfined } from "./confined-walk.ts";
import { createOwnerTreeReads } from "./owner-code-tree.ts";
import type { SourceRoot } from "./source-root.ts";

/** Entries one listing returns at most. */
const MAX_ENTRIES = 500;
/** Files one search looks into at most. */
const MAX_SEARCH_FILES = 2000;

export type { TreeListing, TreeReads } from "./code-tree-port.ts";

/** The reads done by whoever runs this process (the sidecar, or the helper with the owner's rights). */
export function directTreeReads(root: SourceRoot): TreeReads {
  return {
    async list(dir, depth) {
      const start = dir === undefined ? null : await root.resolve(dir, "read");
      const base = start === null || start.rel === "." ? "" : start.rel;
      const { entries, truncated } = await listConfined(root, base, {
        depth,
        maxEntries: MAX_ENTRIES,
        skipBuildOutput: true,
        fromRoot: true,
        notADirectory: (rel) => `${rel || "."} is not a directory of the source`,
      });
      return { dir: base || ".", entries, truncated };
    },
    read: (path) => readConfinedText(root, path),
    async search(text, maxHits) {
      const { hits, filesSearched } = await searchConfined(root, text, {
        maxHits,
        maxFiles: MAX_SEARCH_FILES,
        shown: (line) => line.slice(0, 300),
        reportTruncation: false,
      });
      return { hits, filesSearched };
    },
  };
}

/**
 * What a read by the sidecar's own user fails with when the tree's permissions keep it out: a
 * permission error, or what the walkers make of one (a directory that cannot be listed, a file that
 * cannot be read or seems absent).
 */
function deniedToSidecar(e: unknown): boolean {
  if (e instanceof ActionError) return ["not-a-directory", "read-failed", "not-found"].includes(e.code);
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  return code === "EACCES" || code === "EPERM";
}

/**
 * The reads of `service`'s tree for this sidecar: its own, and where there is a root helper and its
 * own read is kept out, the helper's as the owner (whose answer, a refusal included, then stands).
 */
export function treeReadsFor(privilege: Privilege | undefined, root: SourceRoot, service: string): TreeReads {
  const direct = directTreeReads(root);
  if (!privilege) return direct;
  const owner = createOwnerTreeReads(privilege, service);
  const either = async <T>(mine: () => Promise<T>, theirs: () => Promise<T>): Promise<T> => {
    try {
      return await mine();
    } catch (e) {
      if (!deniedToSidecar(e)) throw e;
      return await theirs();
    }
  };
  return {
    list: (dir, depth) =>
      either(
        () => direct.list(dir, depth),
        () => owner.list(dir, depth),
      ),
    read: (path) =>
      either(
        () => direct.read(path),
        () => owner.read(path),
      ),
    search: (text, maxHits) =>
      either(
        () => direct.search(text, maxHits),
        () => owner.search(text, maxHits),
      ),
  };
}
