/** The `code-read` action: a line range of one text file under a service's source root, size-capped. */
import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { looksBinary, openSourceRoot } from "../code/source-root.ts";
import { ActionError, type ActionHandler } from "../services/handler.ts";
import { resolveService } from "../services/targets.ts";

/** Lines returned by one read when no end is given. */
const DEFAULT_LINES = 400;

/** Creates the handler. */
export function createCodeRead(): ActionHandler<"code-read"> {
  return async (args, ctx) => {
    const target = resolveService(ctx, args["service"]);
    const root = await openSourceRoot(target.spec.name, target.spec.code);
    const file = await root.resolve(args["path"], "read");
    const bytes = await readFile(file.abs).catch((e: NodeJS.ErrnoException) => {
      throw new ActionError(
        e.code === "EISDIR" ? "not-a-file" : "read-failed",
        e.code === "EISDIR" ? `${file.rel} is a directory; list it instead` : `cannot read ${file.rel}`,
      );
    });
    if (bytes.length > root.spec.maxFileBytes)
      throw new ActionError(
        "too-big",
        `${file.rel} is ${bytes.length} bytes, above the limit of ${root.spec.maxFileBytes}`,
      );
    if (looksBinary(bytes))
      throw new ActionError("binary", `${file.rel} is a binary file; only text is read`);
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
      path: file.rel,
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
