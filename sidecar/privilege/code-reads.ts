/**
 * The root helper's code reads (`code-list`, `code-read`, `code-search`): a service's tree listed,
 * read or searched with its owner's rights, for a sidecar that may not read it; the same confinement
 * as the sidecar's own reads (the source root from the root-owned inventory, no `..`, no symlink out,
 * no `.git`, secrets files never returned).
 */
import type { SourceRoot } from "../code/source-root.ts";
import { directTreeReads } from "../code/tree-reads.ts";
import { ActionError } from "../services/handler.ts";
import { type Owner, withOwnerRights } from "./service-owner.ts";

/** The read operations. */
export const CODE_READ_OPS: ReadonlySet<string> = new Set(["code-list", "code-read", "code-search"]);

/** The largest depth a listing may ask for, and the most hits a search may. */
const MAX_DEPTH = 4;
const MAX_HITS = 200;

const boundedInt = (text: string | undefined, min: number, max: number, name: string): number => {
  const n = Number(text);
  if (!Number.isInteger(n) || n < min || n > max)
    throw new ActionError("refused", `the ${name} must be a whole number from ${min} to ${max}`);
  return n;
};

/** Runs one read operation as `owner`; its JSON answer. */
export function codeRead(
  op: string,
  root: SourceRoot,
  owner: Owner,
  args: readonly string[],
  stdin: () => Promise<Buffer>,
): Promise<Record<string, unknown>> {
  const reads = directTreeReads(root);
  switch (op) {
    case "code-list": {
      const [dir, depth] = args;
      const levels = boundedInt(depth, 1, MAX_DEPTH, "depth");
      return withOwnerRights(owner, async () => ({
        ...(await reads.list(dir === undefined || dir === "." ? undefined : dir, levels)),
      }));
    }
    case "code-read":
      return withOwnerRights(owner, async () => {
        const { rel, bytes } = await reads.read(args[0]);
        return { rel, base64: bytes.toString("base64") };
      });
    case "code-search": {
      const maxHits = boundedInt(args[0], 1, MAX_HITS, "number of hits");
      return stdin().then((input) => {
        const text = input.toString("utf8");
        if (text.length === 0 || text.length > 200)
          throw new ActionError("refused", "a search is for 1 to 200 characters of text");
        return withOwnerRights(owner, async () => ({ ...(await reads.search(text, maxHits)) }));
      });
    }
    default:
      throw new ActionError("refused", `unknown code read ${op}`);
  }
}
