/** The `code-read` action: a line range of one text file under a service's source root, size-capped. */
import { createHash } from "node:crypto";
import type { Adapters } from "../adapters/index.ts";
import { openSourceRoot } from "../code/source-root.ts";
import { treeReadsFor } from "../code/tree-reads.ts";
import type { ActionHandler } from "../services/handler.ts";
import { resolveService } from "../services/targets.ts";

/** Lines returned by one read when no end is given. */
const DEFAULT_LINES = 400;

/** Creates the handler; on an installed VM a tree the sidecar may not read is read as its owner. */
export function createCodeRead(adapters: Pick<Adapters, "privilege"> = {}): ActionHandler<"code-read"> {
  return async (args, ctx) => {
    const target = resolveService(ctx, args["service"]);
    const root = await openSourceRoot(target.spec.name, target.spec.code);
    const { rel, bytes } = await treeReadsFor(adapters.privilege, root, target.spec.name).read(args["path"]);
    const text = bytes.toString("utf8");
    const lines = text.split("\n");
    const from = typeof args["fromLine"] === "number" ? args["fromLine"] : 1;
    const to = Math.min(
      lines.length,
      typeof args["toLine"] === "number" ? args["toLine"] : from + DEFAULT_LINES - 1,
    );
    const whole = from === 1 && to >= lines.length;
    return {
      vm: ctx.vm,
      service: target.spec.name,
      path: rel,
      totalLines: lines.length,
      fromLine: from,
      toLine: to,
      text: lines.slice(from - 1, to).join("\n"),
      /** The hash of the whole file, so a change can be refused when the file moved on since it was read. */
      sha256: createHash("sha256").update(bytes).digest("hex"),
      whole,
    };
  };
}
